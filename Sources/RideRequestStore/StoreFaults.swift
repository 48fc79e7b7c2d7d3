import GRDB
import PostgresNIO

extension StoreError {
    /// The store failure behind `error`, as a `StoreError`: the error itself, or a backend's own
    /// error (a GRDB `DatabaseError`: busy, full, I/O error, read-only or closed file, …; a
    /// postgres-nio connection, server or decoding error) as `.unavailable`. Nil for errors that
    /// do not come from a store. The message names the backend's code and reason, never the SQL,
    /// its arguments, a path or credentials.
    public init?(classifying error: any Error) {
        switch error {
        case let error as StoreError:
            self = error
        case let error as DatabaseError:
            self.init(.unavailable, "the SQLite store failed (SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "no message"))")
        case let error as PSQLError:
            self.init(.unavailable, PostgresStore.describe(error))
        case let error as PostgresTransactionError:
            if let inner = error.closureError, let mapped = StoreError(classifying: inner) {
                self = mapped
            } else {
                let begin = (error.beginError as? PSQLError).map { " to begin: " + PostgresStore.describe($0) } ?? ""
                self.init(.unavailable, "a PostgreSQL transaction failed" + begin)
            }
        case is PostgresDecodingError:
            self.init(.unavailable, "PostgreSQL answered with data the store cannot read (is the schema current?)")
        default:
            return nil
        }
    }
}
