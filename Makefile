# The two commands of the README: `make demo` and `make test`. Both install what they need first.
SWIFT ?= swift

.PHONY: demo test setup build clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

demo: build
	$(SWIFT) run --skip-build dispatch demo

# The store tests run against SQLite and against a throwaway PostgreSQL server (scripts/with-postgres);
# then schemathesis fuzzes a live server against its OpenAPI document (scripts/schema-fuzz), and
# headless Chromium renders a demo plan's HTML view (scripts/screenshot-plan).
test:
	@scripts/setup --test
	$(SWIFT) build --build-tests
	scripts/with-postgres $(SWIFT) test --skip-build
	scripts/schema-fuzz 25
	scripts/screenshot-plan

clean:
	rm -rf .build
