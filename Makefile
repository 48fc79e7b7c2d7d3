# The two commands of the README: `make demo` and `make test`. Both install what they need first.
SWIFT ?= swift

PREFIX ?= /usr/local

.PHONY: demo test setup build clean install

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

demo: build
	$(SWIFT) run --skip-build dispatch demo

# The store tests run against SQLite and against a throwaway PostgreSQL server (scripts/with-postgres);
# PyPI's gtfs-validator checks the GTFS-Flex export (scripts/gtfs-validator);
# then schemathesis fuzzes a live server against its OpenAPI document (scripts/schema-fuzz), and
# headless Chromium renders a demo plan's HTML view (scripts/screenshot-plan), and Selenium drives the
# web console in headless Chromium with axe-core (scripts/console-browser-test).
test:
	@scripts/setup --test
	$(SWIFT) build --build-tests
	DISPATCH_GTFS_VALIDATOR="$$(scripts/gtfs-validator)" scripts/with-postgres $(SWIFT) test --skip-build
	scripts/schema-fuzz 25
	scripts/screenshot-plan
	scripts/console-browser-test

# `make install PREFIX=/usr/local`: a release build, installed with its embedded zone (scripts/install).
install: setup
	$(SWIFT) build -c release --product dispatch
	scripts/install "$(PREFIX)" .build/release

clean:
	rm -rf .build
