# The two commands of the README: `make demo` and `make test`. Both install what they need first.
SWIFT ?= swift

.PHONY: demo test setup build clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

demo: build
	$(SWIFT) run --skip-build dispatch demo

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build
