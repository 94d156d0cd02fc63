import Foundation
import Testing
@testable import CRMKernel

/// A plugin made of whatever commands, routes and pages a test gives it.
struct ContributingPlugin: Plugin {
    var id: String
    var commands: [PluginCommand] = []
    var routes: [PluginRoute] = []
    var pages: [PluginPage] = []

    var manifest: PluginManifest {
        PluginManifest(id: id, name: LocalizedText(id, en: id), version: "1.0.0", summary: LocalizedText(id, en: id))
    }

    static func command(_ path: String, alias: Bool = false, run: @escaping @Sendable (CommandContext) throws -> Void = { _ in }) -> PluginCommand {
        PluginCommand(path.split(separator: " ").map(String.init), summary: "does \(path)", topLevelAlias: alias, run: run)
    }

    static func route(_ method: PluginRoute.Method, _ path: String) -> PluginRoute {
        PluginRoute(method, path, summary: path, audience: .signedIn(requires: nil)) { _ in .json(.null) }
    }
}

/// Start-up validation: a module's command, route or page that clashes with another module's or
/// the core's refuses the registry, naming the module and the name.
struct ModuleContributionTests {
    func refusal(_ plugins: [any Plugin]) -> KernelError? {
        kernelError { _ = try PluginRegistry(plugins) }
    }

    @Test func aCommandAliasTakenByAnotherModuleIsRefusedWithTheModuleAndTheName() {
        let error = refusal([ContributingPlugin(id: "alpha", commands: [ContributingPlugin.command("report show", alias: true)]),
                             ContributingPlugin(id: "beta", commands: [ContributingPlugin.command("report print", alias: true)])])
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains("module beta") == true && error?.message.contains("'crm report'") == true
                && error?.message.contains("alpha") == true)
    }

    @Test func anAliasOrModuleIdThatIsACoreCommandOrAModuleIsRefused() {
        let core = refusal([ContributingPlugin(id: "alpha", commands: [ContributingPlugin.command("serve now", alias: true)])])
        #expect(core?.message.contains("module alpha: command alias 'crm serve' clashes with the core command") == true)
        let id = refusal([ContributingPlugin(id: "modules")])
        #expect(id?.message.contains("module modules: its id clashes with the core command 'crm modules'") == true)
        let other = refusal([ContributingPlugin(id: "alpha"), ContributingPlugin(id: "beta", commands: [ContributingPlugin.command("alpha x", alias: true)])])
        #expect(other?.message.contains("module beta: command alias 'crm alpha' clashes with module alpha") == true)
    }

    @Test func aCommandDeclaredTwiceOrBothACommandAndAGroupIsRefused() {
        let twice = refusal([ContributingPlugin(id: "alpha", commands: [ContributingPlugin.command("sync"), ContributingPlugin.command("sync")])])
        #expect(twice?.message.contains("module alpha: command 'crm alpha sync' is declared twice") == true)
        let group = refusal([ContributingPlugin(id: "alpha", commands: [ContributingPlugin.command("pool"), ContributingPlugin.command("pool list")])])
        #expect(group?.message.contains("'crm alpha pool' clashes with 'crm alpha pool list'") == true)
        let bad = refusal([ContributingPlugin(id: "alpha", commands: [ContributingPlugin.command("Sync")])])
        #expect(bad?.kind == .validation)
    }

    @Test func aRouteDeclaredTwiceOrOverACoreRouteIsRefused() {
        let twice = refusal([ContributingPlugin(id: "alpha", routes: [ContributingPlugin.route(.get, "files/:id"), ContributingPlugin.route(.get, "files/:name")])])
        #expect(twice?.message.contains("module alpha: route GET /api/v1/modules/alpha/files/:name clashes") == true)
        let core = refusal([ContributingPlugin(id: "alpha", routes: [ContributingPlugin.route(.post, "enable")])])
        #expect(core?.message.contains("clashes with the core route POST /api/v1/modules/alpha/enable") == true)
        let shadow = refusal([ContributingPlugin(id: "alpha", routes: [ContributingPlugin.route(.post, ":verb")])])
        #expect(shadow?.kind == .conflict)
        // The same path with another method, or a GET of a core POST path, is fine.
        #expect((try? PluginRegistry([ContributingPlugin(id: "alpha", routes: [ContributingPlugin.route(.get, "files/:id"),
                                                                             ContributingPlugin.route(.post, "files/:id"),
                                                                             ContributingPlugin.route(.get, "enable")])])) != nil)
    }

    @Test func aPublicRouteWithoutAPositiveRateLimitIsRefused() {
        let route = PluginRoute(.post, "form", summary: "form", audience: .anyone(limit: RateLimit(requests: 0, perSeconds: 60))) { _ in .json(.null) }
        #expect(refusal([ContributingPlugin(id: "alpha", routes: [route])])?.message.contains("needs a positive rate limit") == true)
    }

    @Test func aPagePathTakenByAnotherModuleIsRefused() {
        let page = { (id: String) in PluginPage(id, path: "/reports", title: LocalizedText("报表", en: "Reports")) }
        let error = refusal([ContributingPlugin(id: "alpha", pages: [page("reports")]), ContributingPlugin(id: "beta", pages: [page("summary")])])
        #expect(error?.message.contains("module beta: page path '/reports' clashes with page alpha.reports") == true)
    }
}
