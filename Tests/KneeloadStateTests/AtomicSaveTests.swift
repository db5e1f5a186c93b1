import Foundation
import Testing

@testable import KneeloadState

@Suite struct AtomicSaveTests {
    @Test func aCrashBeforeTheRenameLeavesThePreviousStateAndItsTemporaryFileIsRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = LogRecorder()
        let store = makeStore(directory.path, log)
        let previous = try richState(seed: 1)
        try store.save(previous)
        // What a save killed after writing (part of) its temporary file leaves: from another pid, half written.
        let next = try StateStore.encode(try richState(seed: 2))
        let stray = directory.file("state.json.tmp-99999")
        try writeFile(stray, Array(next[0..<next.count / 2]))
        let complete = directory.file("state.json.tmp-12345")
        try writeFile(complete, next)

        #expect(store.load() == .restored(previous))
        #expect(directory.names == ["state.json"])
        let notices = log.lines.filter { $0.level == .notice }.map(\.text).sorted()
        #expect(
            notices == [
                "removed \(complete), left by a checkpoint interrupted before it was complete",
                "removed \(stray), left by a checkpoint interrupted before it was complete",
            ])
    }

    @Test func aFailedSaveKeepsThePreviousFileAndSaysWhatFailedWhere() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = makeStore(directory.path, LogRecorder())
        let previous = try richState(seed: 1)
        try store.save(previous)
        // A directory in the way of this process's temporary file: open(2) fails with EISDIR.
        try FileManager.default.createDirectory(atPath: store.temporaryPath, withIntermediateDirectories: false)
        #expect(throws: StateStoreError.system(operation: .open, path: store.temporaryPath, errno: EISDIR)) {
            try store.save(try richState(seed: 2))
        }
        try FileManager.default.removeItem(atPath: store.temporaryPath)
        #expect(store.load() == .restored(previous))
    }

    @Test func aFailedRenameRemovesTheTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = makeStore(directory.path, LogRecorder())
        // A non-empty directory where the state file goes: rename(2) cannot replace it.
        try FileManager.default.createDirectory(atPath: store.filePath + "/x", withIntermediateDirectories: true)
        let state = try richState()
        do throws(StateStoreError) {
            try store.save(state)
            Issue.record("save over a directory succeeded")
        } catch .system(let operation, let path, let code) {
            #expect(operation == .rename)
            #expect(path == store.filePath)
            #expect(code == EISDIR || code == ENOTEMPTY || code == EEXIST)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(directory.names == ["state.json"])
        #expect(
            StateStoreError.system(operation: .rename, path: "/d/state.json", errno: EISDIR).description
                == "state store: cannot rename into place /d/state.json: Is a directory (errno 21)")
    }

    @Test func anUnwritableDirectoryGivesTheTypedError() throws {
        // Root ignores permission bits, so as root use sysfs, where even root cannot create files.
        let directory = try TemporaryDirectory()
        defer {
            chmod(directory.path, 0o755)
            directory.remove()
        }
        let path: String
        if geteuid() == 0 {
            path = "/sys"
        } else {
            path = directory.path
            chmod(path, 0o555)
        }
        let store = makeStore(path, LogRecorder())
        let state = try richState()
        do throws(StateStoreError) {
            try store.save(state)
            Issue.record("save into \(path) succeeded")
        } catch .system(let operation, let failedPath, let code) {
            #expect(operation == .open)
            #expect(failedPath == store.temporaryPath)
            #expect([EACCES, EPERM, EROFS].contains(code))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aDirectoryThatCannotBeCreatedGivesTheTypedError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("plain-file")
        try writeFile(file, [1])
        let store = makeStore(file + "/kneeload", LogRecorder())
        #expect(throws: StateStoreError.system(operation: .createDirectory, path: file + "/kneeload", errno: ENOTDIR)) {
            try store.prepareDirectory()
        }
        #expect(throws: StateStoreError.system(operation: .createDirectory, path: file + "/kneeload", errno: ENOTDIR)) {
            try store.save(try richState())
        }
        // A file where the directory should be.
        #expect(throws: StateStoreError.system(operation: .createDirectory, path: file, errno: ENOTDIR)) {
            try makeStore(file, LogRecorder()).prepareDirectory()
        }
        #expect(makeStore(file + "/kneeload", LogRecorder()).load() == .freshStart)
    }
}
