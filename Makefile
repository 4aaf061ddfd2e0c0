# The two commands a newcomer needs: `make demo` and `make test`.
SWIFT ?= swift

.PHONY: deps build demo test release bench bench-full soak lint reliability fuzz twin clean

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build

# The controller against the embedded simulated cluster: no real cluster needed.
# A debug build: it compiles in a fraction of a release build's time (and shares `make test`'s
# build folder), and the demo is bound by the simulated cluster's timing, not by CPU.
demo: deps
	$(SWIFT) build --product token-warden-demo
	.build/debug/token-warden-demo

test: deps
	SWIFT=$(SWIFT) ./scripts/run-tests.sh

release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product token-warden

# token-warden's list/watch/assess/plan path vs kubectl on one simulated server (bench-results/).
# Linked like the release image (--static-swift-stdlib): memory and start-up figures depend on it.
BENCH_SCRATCH ?= .build
bench: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product kube-sim
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product warden-bench
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product token-warden
	BENCH_BIN=$(BENCH_SCRATCH)/release ./Benchmarks/run.sh

bench-full: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product kube-sim
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product warden-bench
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product token-warden
	BENCH_BIN=$(BENCH_SCRATCH)/release ./Benchmarks/run.sh --full

# The soak: the release controller against kube-sim (20k pods, 100 pod changes/s, a fault every
# few minutes) for SOAK_MINUTES, sampled every minute; one table and a verdict (exit 1 unless it
# passes) in bench-results/soak-DATE.md. SOAK_FLAGS adds Benchmarks/soak.py flags.
SOAK_MINUTES ?= 60
SOAK_FLAGS ?=
soak: deps
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product kube-sim
	$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(BENCH_SCRATCH) --product token-warden
	BENCH_BIN=$(BENCH_SCRATCH)/release python3 Benchmarks/soak.py --minutes $(SOAK_MINUTES) $(SOAK_FLAGS)

# Fault and bad-input scenarios under load (prints the table; exit 1 unless every row is green),
# then the parser/stream fuzzers for a bounded time (FUZZ_SECONDS per fuzzer).
RELIABILITY_SCRATCH ?= .build
FUZZ_SECONDS ?= 30
reliability: deps
	$(SWIFT) build -c release --scratch-path $(RELIABILITY_SCRATCH) --product reliability
	$(RELIABILITY_SCRATCH)/release/reliability
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(SWIFT) test --scratch-path $(RELIABILITY_SCRATCH) --filter ReliabilityTests

# The digital twin: the real assessment and planning over two simulated years (10,000 workloads),
# with herd spreading on and, for comparison, off (the two at once, a process each). Exit 1
# unless every check of the run with spreading on passes. TWIN_FLAGS adds warden-twin flags
# (--seed, --workloads, --days, …).
TWIN_SCRATCH ?= .build
TWIN_FLAGS ?=
twin: deps
	$(SWIFT) build -c release --scratch-path $(TWIN_SCRATCH) --product warden-twin
	$(TWIN_SCRATCH)/release/warden-twin --compare $(TWIN_FLAGS)

lint:
	./.ci/lint

clean:
	rm -rf .build
