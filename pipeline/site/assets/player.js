// lessonpub course site: captions that work from file://, the interactive
// transcript and the sign-language window. No request leaves the site.
"use strict";

// lessonpubTracks runs right after the <video>, before the browser fetches
// any <track>. Chromium refuses <track src> on pages opened from file://
// (the track stays empty), so there the tracks are rebuilt from the cues
// embedded in the page. Over http, a track that fails to load is rebuilt
// the same way.
function lessonpubTracks(video, data) {
  var cues = JSON.parse(data.textContent || "{}");
  var rebuilt = false;
  function rebuild() {
    if (rebuilt) return;
    rebuilt = true;
    var els = Array.prototype.slice.call(video.querySelectorAll("track"));
    els.forEach(function (el) {
      var lang = el.srclang, isDefault = el.default;
      video.removeChild(el);
      var tt = video.addTextTrack("captions", el.label, lang);
      (cues[lang] || []).forEach(function (c) {
        tt.addCue(new VTTCue(c.start, c.end, c.text));
      });
      tt.mode = isDefault ? "showing" : "hidden";
    });
  }
  if (location.protocol === "file:") {
    rebuild();
    return;
  }
  video.querySelectorAll("track").forEach(function (el) {
    el.addEventListener("error", rebuild);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  var video = document.getElementById("video");
  if (!video) return;
  transcript(video);
  signWindow(video);
});

function transcript(video) {
  var select = document.getElementById("transcript-lang");
  var follow = document.getElementById("transcript-follow");
  var lists = Array.prototype.slice.call(document.querySelectorAll(".cues"));
  if (!lists.length) return;
  var current = null;

  function visible() {
    for (var i = 0; i < lists.length; i++) if (!lists[i].hidden) return lists[i];
    return lists[0];
  }
  function highlight() {
    var t = video.currentTime, list = visible(), found = null;
    var buttons = list.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      if (t >= parseFloat(b.dataset.start) && t < parseFloat(b.dataset.end)) found = b;
    }
    if (found === current) return;
    if (current) current.removeAttribute("aria-current");
    current = found;
    if (found) {
      found.setAttribute("aria-current", "true");
      // Keep the line in view inside the list without scrolling the page,
      // unless the viewer turned that off to read at their own pace.
      var top = found.offsetTop - list.offsetTop;
      if (follow && !follow.checked) return;
      if (top < list.scrollTop || top + found.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = top - list.clientHeight / 3;
      }
    }
  }
  // Each list is one stop for Tab; the arrow keys, Home and End move
  // between its lines, Enter or Space seeks.
  function rove(list, to) {
    list.querySelectorAll("button").forEach(function (b) { b.tabIndex = b === to ? 0 : -1; });
  }
  lists.forEach(function (list) {
    var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
    rove(list, buttons[0]);
    list.addEventListener("keydown", function (e) {
      var i = buttons.indexOf(document.activeElement), to = -1;
      if (i < 0) return;
      if (e.key === "ArrowDown") to = Math.min(i + 1, buttons.length - 1);
      else if (e.key === "ArrowUp") to = Math.max(i - 1, 0);
      else if (e.key === "Home") to = 0;
      else if (e.key === "End") to = buttons.length - 1;
      else return;
      e.preventDefault();
      rove(list, buttons[to]);
      buttons[to].focus();
    });
    list.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-start]");
      if (!b) return;
      rove(list, b);
      video.currentTime = parseFloat(b.dataset.start);
      highlight();
    });
  });
  if (select) {
    select.addEventListener("change", function () {
      lists.forEach(function (l) { l.hidden = l.dataset.lang !== select.value; });
      if (current) current.removeAttribute("aria-current");
      current = null;
      highlight();
    });
  }
  video.addEventListener("timeupdate", highlight);
  video.addEventListener("seeked", highlight);
}

function signWindow(video) {
  var box = document.getElementById("sign");
  var sign = document.getElementById("sign-video");
  if (!box || !sign) return;
  var player = document.getElementById("player");

  // Keep the interpreter in step with the lesson. Its clip starts offset
  // seconds into the lesson (negative: its first seconds are cut); outside
  // its clip it waits on its first or last picture.
  var offset = parseFloat(sign.dataset.offset || "0");
  function sync() {
    var t = video.currentTime - offset, end = sign.duration || Infinity;
    var want = Math.max(0, Math.min(t, end));
    if (Math.abs(sign.currentTime - want) > 0.1) sign.currentTime = want;
    if (!video.paused && t >= 0 && t < end) {
      if (sign.paused) sign.play().catch(function () {});
    } else if (!sign.paused) {
      sign.pause();
    }
  }
  video.addEventListener("play", sync);
  video.addEventListener("pause", sync);
  video.addEventListener("seeking", sync);
  video.addEventListener("seeked", sync);
  video.addEventListener("timeupdate", function () {
    var t = video.currentTime - offset;
    if (video.paused) return;
    if (sign.paused !== !(t >= 0 && t < (sign.duration || Infinity)) || Math.abs(sign.currentTime - t) > 0.3) sync();
  });
  video.addEventListener("ratechange", function () { sign.playbackRate = video.playbackRate; });
  video.addEventListener("ended", function () { sign.pause(); });
  sign.addEventListener("loadedmetadata", sync);

  // Hide and show.
  var toggle = document.getElementById("sign-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var show = box.hidden;
      box.hidden = !show;
      toggle.setAttribute("aria-pressed", show ? "true" : "false");
      toggle.textContent = show ? toggle.dataset.hide : toggle.dataset.show;
      if (show) sync();
    });
  }

  // Move: drag the bar, or the arrow keys on the move button.
  function place(left, top) {
    var maxL = player.clientWidth - box.offsetWidth, maxT = player.clientHeight - box.offsetHeight;
    box.style.left = Math.max(0, Math.min(left, maxL)) + "px";
    box.style.top = Math.max(0, Math.min(top, maxT)) + "px";
    box.style.right = "auto";
    box.style.bottom = "auto";
  }
  // Keep a moved window inside the player when the page narrows (a phone
  // turned, a window resized).
  function overlay() { return getComputedStyle(box).position === "absolute"; }
  function keepInside() {
    if (!overlay()) return;
    if (box.offsetWidth > player.clientWidth) box.style.width = player.clientWidth + "px";
    if (box.offsetHeight > player.clientHeight) {
      box.style.width = Math.floor(box.offsetWidth * player.clientHeight / box.offsetHeight) + "px";
    }
    if (box.style.left) place(box.offsetLeft, box.offsetTop);
  }
  if (window.ResizeObserver) new ResizeObserver(keepInside).observe(player);
  else window.addEventListener("resize", keepInside);
  var bar = box.querySelector(".sign-bar");
  bar.addEventListener("pointerdown", function (e) {
    if (e.target.closest(".sign-resize")) return;
    var startX = e.clientX, startY = e.clientY, left = box.offsetLeft, top = box.offsetTop;
    bar.setPointerCapture(e.pointerId);
    function move(ev) { place(left + ev.clientX - startX, top + ev.clientY - startY); }
    function up() {
      bar.removeEventListener("pointermove", move);
      bar.removeEventListener("pointerup", up);
    }
    bar.addEventListener("pointermove", move);
    bar.addEventListener("pointerup", up);
  });
  var step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  document.getElementById("sign-move").addEventListener("keydown", function (e) {
    var d = step[e.key];
    if (!d) return;
    e.preventDefault();
    var n = e.shiftKey ? 50 : 10;
    place(box.offsetLeft + d[0] * n, box.offsetTop + d[1] * n);
  });

  // Resize: the corner (CSS resize), dragging the resize button, or arrows on it.
  function size(w) {
    w = Math.max(96, Math.min(w, player.clientWidth));
    box.style.width = w + "px";
    box.style.height = "auto";
    keepInside();
  }
  var grip = document.getElementById("sign-resize");
  grip.addEventListener("keydown", function (e) {
    var d = step[e.key];
    if (!d) return;
    e.preventDefault();
    size(box.offsetWidth + (d[0] + d[1]) * (e.shiftKey ? 50 : 10));
  });
  grip.addEventListener("pointerdown", function (e) {
    var startX = e.clientX, w = box.offsetWidth;
    grip.setPointerCapture(e.pointerId);
    function move(ev) { size(w + ev.clientX - startX); }
    function up() {
      grip.removeEventListener("pointermove", move);
      grip.removeEventListener("pointerup", up);
    }
    grip.addEventListener("pointermove", move);
    grip.addEventListener("pointerup", up);
  });
}
