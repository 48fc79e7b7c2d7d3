#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and writes over the C library, so loaders need no Foundation.
enum FileBytes {
    /// Reads a whole file into memory.
    static func read(path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw RoadNetworkError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var st = stat()
        guard fstat(fileno(file), &st) == 0 else {
            throw RoadNetworkError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw RoadNetworkError.cannotRead(path: path, reason: "it is a directory")
        }
        let size = Int(st.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        let got = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, file) }
        guard got == size else {
            throw RoadNetworkError.cannotRead(path: path, reason: "read \(got) of \(size) bytes")
        }
        return bytes
    }

    /// Writes `bytes` to `path` atomically (a temporary file renamed into place).
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".partial"
        guard let file = fopen(temporary, "wb") else {
            throw RoadNetworkError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, file) }
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        guard written == bytes.count, flushed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw RoadNetworkError.cannotWrite(path: path, reason: reason)
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
