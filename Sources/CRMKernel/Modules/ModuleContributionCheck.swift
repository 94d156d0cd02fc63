/// Start-up checks of what plugins contribute to the command line, the HTTP API and the web
/// interface: a malformed declaration, or one that clashes with another module's or the core's,
/// refuses the registry with the module and the name.
public enum ModuleContributionCheck {
    /// The core commands of `crm` (a module id or top-level alias may not take one).
    public static let coreCommands: Set<String> = [
        "init", "serve", "modules", "jobs", "events", "messages", "user", "token", "import", "export", "backup", "restore", "scripts", "repl", "run", "version", "help",
    ]

    /// The core's routes under a module's prefix `/api/v1/modules/<id>/`.
    static let coreModuleRoutes: [(PluginRoute.Method, String)] = [(.post, "enable"), (.post, "disable")]

    /// Checks every plugin's commands, routes and pages; throws on the first problem.
    public static func check(_ plugins: [any Plugin]) throws(KernelError) {
        let ids = Set(plugins.map(\.manifest.id))
        var aliasOwners: [String: String] = [:]
        var pagePaths: [String: String] = [:]
        var routeAliases: [String: String] = [:]
        for p in plugins {
            let id = p.manifest.id
            if coreCommands.contains(id) {
                throw KernelError(.conflict, "module \(id): its id clashes with the core command 'crm \(id)'")
            }
            try checkCommands(p.commands, module: id)
            for c in p.commands where c.topLevelAlias {
                let word = c.path[0]
                if coreCommands.contains(word) {
                    throw KernelError(.conflict, "module \(id): command alias 'crm \(word)' clashes with the core command 'crm \(word)'")
                }
                if ids.contains(word) {
                    throw KernelError(.conflict, "module \(id): command alias 'crm \(word)' clashes with module \(word)'s commands")
                }
                if let other = aliasOwners[word], other != id {
                    throw KernelError(.conflict, "module \(id): command alias 'crm \(word)' clashes with module \(other)'s alias")
                }
                aliasOwners[word] = id
            }
            try checkRoutes(p.routes, module: id)
            for r in p.routes {
                guard let alias = r.alias else { continue }
                let words = alias.split(separator: "/").map(String.init)
                guard r.isPublic, alias.hasPrefix("/public/"), words.count >= 2, !ids.contains(words[1]),
                      words.map({ $0.hasPrefix(":") }) .filter({ $0 }).count == r.parameterNames.count,
                      Set(words.filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }) == Set(r.parameterNames) else {
                    throw KernelError(.validation, "module \(id): alias '\(alias)' of \(r.path) must be a public path under /public/ outside every module's prefix, with the same parameters")
                }
                let shape = r.method.rawValue + " " + words.map { $0.hasPrefix(":") ? ":" : $0 }.joined(separator: "/")
                if let other = routeAliases[shape] { throw KernelError(.conflict, "module \(id): alias '\(alias)' clashes with module \(other)'s") }
                routeAliases[shape] = id
            }
            var pageIDs = Set<String>()
            for page in p.pages {
                guard ReservedFieldNames.isValidIdentifier(page.id) else { throw KernelError(.validation, "module \(id): invalid page id '\(page.id)'") }
                guard pageIDs.insert(page.id).inserted else { throw KernelError(.conflict, "module \(id): page '\(page.id)' is declared twice") }
                var key = page.path
                if case .section(let entity, _) = page.placement {
                    guard page.path.hasPrefix("#"), page.path.count > 1, page.path.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
                          page.view != nil, page.menu == nil else {
                        throw KernelError(.validation, "module \(id): section \(page.id): needs a view, no menu entry, and an anchor path such as '#lines' (got '\(page.path)')")
                    }
                    key = entity + page.path
                } else {
                    guard page.path.hasPrefix("/"), !page.path.contains(" "), page.path.count > 1 else {
                        throw KernelError(.validation, "module \(id): page \(page.id): path '\(page.path)' must start with / and name a page")
                    }
                }
                if let other = pagePaths[key] {
                    throw KernelError(.conflict, "module \(id): page path '\(page.path)' clashes with \(other)")
                }
                pagePaths[key] = "page \(id).\(page.id)"
            }
        }
    }

    /// One module's commands: valid words, no duplicate, no command that is also a group.
    static func checkCommands(_ commands: [PluginCommand], module: String) throws(KernelError) {
        var seen = Set<[String]>()
        var defaults = Set<[String]>()
        for c in commands {
            let name = (["crm", module] + c.path).joined(separator: " ")
            guard !c.path.isEmpty, c.path.allSatisfy(isCommandWord) else {
                throw KernelError(.validation, "module \(module): invalid command '\(name)' (lowercase words, digits and -)")
            }
            guard seen.insert(c.path).inserted else { throw KernelError(.conflict, "module \(module): command '\(name)' is declared twice") }
            if c.isGroupDefault {
                guard c.path.count > 1, defaults.insert(Array(c.path.dropLast())).inserted else {
                    throw KernelError(.conflict, "module \(module): command '\(name)' cannot be its group's default")
                }
            }
            var names = Set(["workspace", "help"])
            for n in c.allOptions.map(\.name) + c.flags.map(\.name) {
                guard isCommandWord(n), names.insert(n).inserted else {
                    throw KernelError(.conflict, "module \(module): option --\(n) of '\(name)' is invalid or clashes with another option")
                }
            }
        }
        for c in commands {
            if let longer = commands.first(where: { $0.path.count > c.path.count && $0.path.starts(with: c.path) }) {
                throw KernelError(.conflict, "module \(module): command 'crm \(module) \(c.path.joined(separator: " "))' clashes with "
                                  + "'crm \(module) \(longer.path.joined(separator: " "))' (a word cannot be both a command and a group)")
            }
        }
    }

    /// One module's routes: valid paths, no method and path declared twice, none over a core route.
    static func checkRoutes(_ routes: [PluginRoute], module: String) throws(KernelError) {
        var seen = Set<String>()
        for r in routes {
            let words = r.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let valid = !words.isEmpty && words.allSatisfy { w in
                let bare = w.hasPrefix(":") ? String(w.dropFirst()) : w
                return !bare.isEmpty && bare.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            }
            guard valid, Set(r.parameterNames).count == r.parameterNames.count else {
                throw KernelError(.validation, "module \(module): invalid route path '\(r.path)' (words and :parameters separated by /)")
            }
            if case .anyone(let limit) = r.audience, limit.requests < 1 || limit.seconds < 1 {
                throw KernelError(.validation, "module \(module): public route \(r.method.rawValue) \(r.path) needs a positive rate limit")
            }
            let shape = r.method.rawValue + " " + (r.isPublic ? "public/" : "") + words.map { $0.hasPrefix(":") ? ":" : $0 }.joined(separator: "/")
            guard seen.insert(shape).inserted else {
                throw KernelError(.conflict, "module \(module): route \(r.method.rawValue) \(r.mountPath(module: module)) clashes with another of its routes")
            }
            if !r.isPublic, words.count == 1,
               let core = coreModuleRoutes.first(where: { $0.0 == r.method && (words[0] == $0.1 || words[0].hasPrefix(":")) }) {
                throw KernelError(.conflict, "module \(module): route \(r.method.rawValue) \(r.mountPath(module: module)) clashes with the core route "
                                  + "\(core.0.rawValue) /api/v1/modules/\(module)/\(core.1)")
            }
        }
    }

    static func isCommandWord(_ word: String) -> Bool {
        guard let first = word.first, first.isASCII, first.isLowercase else { return false }
        return word.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
