# lessonpub: the two commands a newcomer needs are `make demo` and `make test`.
# Both first check for (and, as root on Debian, install) what they need:
# Go, ffmpeg with ffprobe, and a font with every Azerbaijani and Russian letter.

GO       ?= go
BIN      := bin/lessonpub
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
DEMO_DIR ?= demo
# The race detector needs cgo (a C compiler); without one the tests still run.
RACE     ?= $(shell command -v gcc >/dev/null 2>&1 && echo -race)
# staticcheck runs through `go run` at this pinned version: nothing to install.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all build deps test fuzz bench demo clean

all: build

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/lessonpub

# deps checks for the programs lessonpub runs and installs them with apt-get
# when it can (root on Debian/Ubuntu); otherwise it says what to install.
deps:
	@./scripts/deps.sh

test: deps
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) test $(RACE) -timeout 30m ./...
	@# benchmark modules of their own (they compare against other libraries)
	for m in $$(ls bench/*/go.mod 2>/dev/null); do (cd $$(dirname $$m) && $(GO) vet ./...) || exit 1; done

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
