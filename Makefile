# The two commands a newcomer needs: `make demo` and `make test`.
SWIFT ?= swift

.PHONY: deps build demo test release bench bench-full lint reliability fuzz clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build

# The controller against the embedded simulated cluster: no real cluster needed.
demo: deps
	$(SWIFT) build -c release --product token-warden
	.build/release/token-warden demo

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product token-warden

bench: deps
	$(SWIFT) build -c release --product token-warden --product kube-sim
	./Benchmarks/run.sh

bench-full: deps
	$(SWIFT) build -c release --product token-warden --product kube-sim
	./Benchmarks/run.sh --full

lint:
	./.ci/lint

clean:
	rm -rf .build
