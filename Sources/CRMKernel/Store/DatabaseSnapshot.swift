import Foundation
import GRDB

extension RecordStore {
    /// Copies the database to a new file at `path` with SQLite's online backup API, from one
    /// read snapshot: consistent while other connections (a running server) go on writing.
    /// With `durable: false` the copy is written without a journal or fsync: for a staging copy
    /// that is read back and deleted at once (a crash leaves only a file to throw away).
    public func backup(to path: String, durable: Bool = true) throws {
        try translate {
            var config = GRDB.Configuration()
            if !durable {
                config.prepareDatabase { db in
                    try db.execute(sql: "PRAGMA journal_mode = OFF")
                    try db.execute(sql: "PRAGMA synchronous = OFF")
                }
            }
            let destination = try DatabaseQueue(path: path, configuration: config)
            try pool.backup(to: destination)
            try destination.close()
        }
    }

    /// Checks a database file before it replaces a workspace's: SQLite's `integrity_check`, and
    /// that no kernel migration in it is unknown to this version (a backup from a newer version).
    public static func checkDatabaseFile(at path: String, name: String) throws {
        do {
            var config = GRDB.Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            try queue.read { db in
                let result = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard result == ["ok"] else {
                    throw KernelError(.validation, "\(name): the database fails SQLite's integrity check (\(result.prefix(3).joined(separator: "; ")))")
                }
                if try KernelMigrations.migrator().hasBeenSuperseded(db) {
                    throw KernelError(.validation, "\(name): made by a newer version of crm (its database has migrations this version does not know); upgrade crm to restore it")
                }
            }
        } catch let error as KernelError {
            throw error
        } catch let error as DatabaseError {
            throw KernelError(.validation, "\(name): not a readable database (\(error.message ?? error.description))")
        }
    }
}
