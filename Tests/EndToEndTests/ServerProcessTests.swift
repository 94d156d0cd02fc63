import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The end-to-end server fixture ends `crm serve` on every path, so no server outlives the tests.
struct ServerProcessTests {
    struct Thrown: Error {}

    @Test func aServerOfATestThatThrowsBeforeStoppingItIsEndedAndReaped() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        var pid: pid_t = 0
        func failingTest() throws {
            let server = try ServerProcess(crm, extra: ["--no-jobs"])
            pid = server.process.processIdentifier
            throw Thrown()
        }
        #expect(throws: Thrown.self) { try failingTest() }
        #expect(pid > 0)
        // Gone, not even a zombie: kill(pid, 0) succeeds for a zombie that nobody reaped.
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "crm serve \(pid) outlived its test")
    }

    @Test func stoppingTwiceAnswersTheSameStatus() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let server = try ServerProcess(crm, extra: ["--no-jobs"])
        #expect(server.stop() == 0)
        #expect(server.stop() == 0)
        #expect(kill(server.process.processIdentifier, 0) == -1)
    }
}
