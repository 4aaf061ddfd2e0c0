import Act
import Foundation
import KubeModel
import Logging
import Observe
import ServiceLifecycle
import Synchronization

/// The reconcile loop, with leader election when configured: followers keep their caches warm and
/// plan, but only the leader acts. Runs until graceful shutdown; the lease is released on the way out.
public struct ControlLoopService: Service {
    let runtime: ControllerRuntime

    public func run() async throws {
        let runtime = self.runtime
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                if let elector = runtime.elector {
                    group.addTask {
                        await elector.run { leading in
                            runtime.leader.store(leading, ordering: .relaxed)
                            runtime.metrics.setLeader(leading)
                            if !leading { runtime.executor.abandonEvictions() }
                            runtime.logger.notice(leading ? "became the leader" : "not the leader")
                            runtime.signal.notify()
                        }
                    }
                } else {
                    runtime.leader.store(true, ordering: .relaxed)
                    runtime.metrics.setLeader(true)
                }
                group.addTask { await runtime.loop() }
                await group.waitForAll()
            }
        }
    }
}

extension ControllerRuntime {
    /// Reconciles on every change (coalesced, see `PassPacing`) and whenever the plan asks to look again.
    func loop() async {
        var requeueAt = clock()
        var restingUntil: ContinuousClock.Instant?
        var releasedStartupMemory = false
        var heapTrim = HeapTrimSchedule(now: .now)
        var pacing = self.pacing
        defer { loopStep.withLock { $0 = "ended" } }
        while !Task.isCancelled {
            let simulated = max(0, requeueAt - clock())
            loopStep.withLock { $0 = "waiting for a change" }
            await signal.wait(timeout: .milliseconds(Int64(Double(simulated) * 1000 / clockRate)))
            if Task.isCancelled { break }
            loopStep.withLock { $0 = "letting events settle" }
            do {
                try await Task.sleep(for: pacing.delay(wokenAt: ContinuousClock.now, restingUntil: restingUntil))
            } catch {
                break  // cancelled: shutting down
            }
            health.setCachesSynced(caches.hasSynced)
            checkToken()
            // Only the leader writes Events; one refused by the write gate (the lease in doubt) stays owed.
            if let event = tokenLifetime.refresh(), leader.load(ordering: .relaxed), await events.emit(event) != .fenced {
                tokenLifetime.eventDelivered()
            }
            loopStep.withLock { $0 = "in a reconcile pass" }
            let passStarted = ContinuousClock.now
            let outcome = await reconciler.reconcile(isLeader: leader.load(ordering: .relaxed))
            let passEnded = ContinuousClock.now
            onOutcome?(outcome)
            metrics.observeReconcilePass(passEnded - passStarted)
            metrics.recordEventsDropped(total: events.droppedEvents)
            requeueAt = outcome.requeueAt
            restingUntil = passEnded + pacing.rest(
                afterPassOf: passEnded - passStarted, eventsTakenIn: outcome.eventsTakenIn, requeueDue: requeueAt <= clock())
            if releasesStartupMemory && !releasedStartupMemory && caches.hasSynced {
                releasedStartupMemory = true
                ProcessMemory.releaseStartupMemory()
            } else if releasedStartupMemory, heapTrim.isDue(relists: ProcessMemory.relistCount, now: passEnded) {
                ProcessMemory.returnFreedHeap()
            }
        }
    }

    private func checkToken() {
        guard let token = client.config.token else {
            health.setTokenReadable(true)
            return
        }
        do {
            _ = try token.token()
            health.setTokenReadable(true)
        } catch {
            metrics.recordTokenReload(succeeded: false)
            health.setTokenReadable(false, problem: "\(error)")
        }
    }
}
