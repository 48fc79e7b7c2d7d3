/// Zone files of older format versions, brought to the current one when read.
///
/// Version 1 spelled keys in camelCase (`wheelchairPlaces`, `formatVersion`) and place kinds too
/// (`townCentre`), and gave each municipality one boundary ring; version 2 spells both in
/// snake_case like every other document and gives a list of rings (holes, exclaves). Maps keyed by
/// ids (`fares`, `rules.outsideDestinations`) keep their keys: those are municipality ids, not names
/// of the format.
enum ZoneFileMigration {
    /// The file's bytes in the current format: unchanged when it already is, migrated when it is
    /// version 1. Bytes that are not a JSON object are returned as they are (the decoder then says
    /// what is wrong with them).
    static func current(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        var parser = JSONParser(bytes)
        guard case .object(let root)? = parser.document() else { return bytes }
        if root["format_version"] != nil { return bytes }
        guard let version = root["formatVersion"] else { return bytes }
        guard version == .number(1) else {
            throw ZoneFileError(path: path, field: "formatVersion",
                                reason: "is \(echo(String(describing: version))); this build reads zone files of version \(ZoneFile.formatVersion) (key format_version) and migrates version 1")
        }
        var migrated = snakeCased(.object(root), idKeyed: false, path: [])
        if case .object(var object) = migrated {
            object.removeValue(forKey: "format_version")
            object["format_version"] = .int(ZoneFile.formatVersion)
            // Version 1 had one ring per municipality; version 2 a list of rings.
            if case .array(let municipalities)? = object["municipalities"] {
                object["municipalities"] = .array(municipalities.map { m in
                    guard case .object(var fields) = m, let ring = fields["boundary"] else { return m }
                    fields["boundary"] = .array([ring])
                    return .object(fields)
                })
            }
            migrated = .object(object)
        }
        return migrated.bytes
    }

    /// Paths (of snake_case keys) whose object keys are ids, left as they are.
    static let idKeyedPaths: Set<[String]> = [["fares"], ["rules", "outside_destinations"]]

    static func snakeCased(_ value: JSONValue, idKeyed: Bool, path: [String]) -> JSONValue {
        switch value {
        case .object(let object):
            var out: [String: JSONValue] = [:]
            for (key, inner) in object {
                let name = idKeyed ? key : snakeCase(key)
                // Positions in arrays do not change which map they are in.
                let innerPath = path + [idKeyed ? "*" : name]
                var converted = snakeCased(inner, idKeyed: idKeyedPaths.contains(innerPath), path: innerPath)
                if name == "kind", case .string(let kind) = converted { converted = .string(snakeCase(kind)) }
                out[name] = converted
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { snakeCased($0, idKeyed: false, path: path) })
        default:
            return value
        }
    }

    /// "wheelchairPlaces" → "wheelchair_places", "townCentre" → "town_centre".
    static func snakeCase(_ name: String) -> String {
        var out = ""
        for ch in name {
            if ch.isUppercase {
                if !out.isEmpty { out.append("_") }
                out.append(contentsOf: ch.lowercased())
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
