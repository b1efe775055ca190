# lessonpub: the two commands a newcomer needs are `make demo` and `make test`.
# Both first check for (and, as root on Debian, install) what they need:
# Go and ffmpeg with ffprobe (the caption font is built into lessonpub).

GO       ?= go
BIN      := bin/lessonpub
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   := $(shell git rev-parse HEAD 2>/dev/null)
DATE     := $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)
# goreleaser, pinned: `make release-snapshot` builds the release archives.
GORELEASER ?= $(GO) run github.com/goreleaser/goreleaser/v2@v2.15.1
DEMO_DIR ?= demo
# The race detector needs cgo (a C compiler); without one the tests still run.
RACE     ?= $(shell command -v gcc >/dev/null 2>&1 && echo -race)
# staticcheck runs through `go run` at this pinned version: nothing to install.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all build deps web-deps test cross release-snapshot fuzz bench demo clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/lessonpub

# deps checks for the programs lessonpub runs and installs them with apt-get
# when it can (root on Debian/Ubuntu); otherwise it says what to install.
deps:
	@./scripts/deps.sh

# web-deps installs axe-core, the accessibility rule engine that the browser
# tests of pipeline/site inject into the course pages, from the npm registry
# into .cache/npm (ignored by git). Without npm the browser tests skip, and
# fail in CI.
AXE_CORE ?= 4.11.0
NPM_DIR  := .cache/npm
AXE_JS   := $(CURDIR)/$(NPM_DIR)/node_modules/axe-core/axe.min.js
web-deps:
	@if grep -qs '"version": "$(AXE_CORE)"' $(NPM_DIR)/node_modules/axe-core/package.json; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "web-deps: installing axe-core@$(AXE_CORE) into $(NPM_DIR)"; \
	  mkdir -p $(NPM_DIR) && npm install --no-save --no-audit --no-fund --prefix $(NPM_DIR) axe-core@$(AXE_CORE); \
	elif [ "$$CI" = true ]; then \
	  echo "web-deps: npm is missing, and CI needs axe-core for the browser tests: apt-get install nodejs npm" >&2; exit 1; \
	else \
	  echo "web-deps: npm is missing, so the browser tests will skip (apt-get install nodejs npm to run them)" >&2; \
	fi

test: deps web-deps
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	LESSONPUB_AXE=$(AXE_JS) $(GO) test $(RACE) -timeout 30m ./...
	@# benchmark modules of their own (they compare against other libraries)
	for m in $$(ls bench/*/go.mod 2>/dev/null); do (cd $$(dirname $$m) && $(GO) vet ./...) || exit 1; done

# cross vets every package and compiles its tests for each released
# platform, so a Unix-only call cannot slip in unnoticed.
PLATFORMS ?= windows/amd64 darwin/arm64 darwin/amd64 linux/amd64 linux/arm64
cross:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for p in $(PLATFORMS); do \
		echo "cross: $$p"; \
		GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) vet ./... && \
		GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) test -c -o "$$tmp/" ./... >/dev/null || exit 1; \
	done

# release-snapshot builds the release archives and checksums for every
# platform into dist/, as a release would, without publishing anything.
release-snapshot:
	$(GORELEASER) release --snapshot --clean --skip=publish

# fuzz runs each parser's fuzz target for a while (FUZZTIME, default 30s);
# `make test` already runs their seed corpora.
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./captions -run '^$$' -fuzz '^FuzzSRT$$' -fuzztime $(FUZZTIME)
	$(GO) test ./captions -run '^$$' -fuzz '^FuzzVTT$$' -fuzztime $(FUZZTIME)

# bench runs the Go benchmarks; the side-by-side scripts live in bench/.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# demo generates a small sample course (three short lessons with Azerbaijani
# and English captions, one with a sign-language interpreter) and publishes it
# to a local folder: no YouTube account needed.
demo: deps build
	rm -rf $(DEMO_DIR)
	$(BIN) sample-course $(DEMO_DIR)/bead-jewellery
	$(BIN) captions check $(DEMO_DIR)/bead-jewellery
	$(BIN) course publish $(DEMO_DIR)/bead-jewellery --target dir:$(DEMO_DIR)/published
	@echo
	@echo "Done. The published course is in $(DEMO_DIR)/published:"
	@ls -R $(DEMO_DIR)/published | sed 's/^/  /'

clean:
	rm -rf bin $(DEMO_DIR)
