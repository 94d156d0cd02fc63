import Foundation

/// Everything one run measured, with the targets it is judged against.
struct BenchReport: Codable {
    var scale: Int
    var date = ISO8601DateFormatter().string(from: Date())
    var cores = ProcessInfo.processInfo.activeProcessorCount
    var limitRowsPerSecond = 0.0
    /// Raw SQLite doing the same work per record as an import (see `RawSameWorkLimit`).
    var sameWorkLimitRowsPerSecond = 0.0
    var bulkRowsPerSecond = 0.0
    var bulkWithoutScriptsRowsPerSecond = 0.0
    var bulkWithScriptsSmallRowsPerSecond = 0.0
    var bulkWithSwiftHookRowsPerSecond = 0.0
    var bulkWithPackWithoutHooksRowsPerSecond = 0.0
    var hookOverheadMicroseconds = 0.0
    var packOverheadMicroseconds = 0.0
    var hookCallMicroseconds = 0.0
    /// The same call with a written-out phone (`+86 138-0013-8000`): the hook's full normalization.
    var hookCallFormattedPhoneMicroseconds = 0.0
    /// The stock pack's customer before-save hook timed in process inside the kernel's writes
    /// (`HookTimer`): mean CPU time per record inside the hook runner, less what the two reads of
    /// the clock cost in place.
    var hookInKernelMicroseconds = 0.0
    /// What the timer's two clock reads cost where the hooks run (`HookTimer`'s empty turns), and
    /// back to back in a tight loop, in microseconds.
    var hookClockInPlaceMicroseconds = 0.0
    var hookClockInLoopMicroseconds = 0.0
    var singleCreate = Latency([])
    var reads: ReadBench.Results?
    var reclaim: PoolBench.Results?
    var http: HTTPBench.Results?
    var web: WebBench.Results?
    /// What the API hardening's checks add per request (issue 19).
    var hardening: HardeningCost.Results?
    var opportunities: OpportunityBench.Results?
    var products: ProductBench.Results?
    var orders: OrderBench.Results?
    var finance: FinanceBench.Results?
    var dataTransfer: DataTransferBench.Results?
    var marketing: MarketingBench.Results?
    var payroll: PayrollBench.Results?
    var service: ServiceBench.Results?
    var peakRSSMiB = 0.0
    /// Each section's peak resident memory (`MemoryTracker`).
    var memoryBySection: [SectionMemory] = []
    var totalSeconds = 0.0

    init(scale: Int) { self.scale = scale }

    var bulkRatio: Double { limitRowsPerSecond > 0 ? bulkRowsPerSecond / limitRowsPerSecond : 0 }
    var bulkToSameWork: Double { sameWorkLimitRowsPerSecond > 0 ? bulkRowsPerSecond / sameWorkLimitRowsPerSecond : 0 }

    /// Target checks: name, measured, target, met.
    var targets: [(String, String, String, Bool)] {
        var out: [(String, String, String, Bool)] = []
        if sameWorkLimitRowsPerSecond > 0 {
            out.append(("bulk import / same-work raw SQLite", pct(bulkToSameWork), "≥ 60%", bulkToSameWork >= 0.6))
        }
        if limitRowsPerSecond > 0 {
            out += [
                ("Lua before_save in the kernel (timed per record)", f(hookInKernelMicroseconds) + " µs", "< 5 µs", hookInKernelMicroseconds < 5),
                ("single create p50 (duplicate rules active)", ms(singleCreate.p50), "< 1 ms", singleCreate.p50 < 1),
            ]
        }
        if let r = reads {
            out += [
                ("get by id p99", ms(r.getByID.p99), "< 1 ms", r.getByID.p99 < 1),
                ("filtered first page p99", ms(r.filteredFirstPage.p99), "< 10 ms", r.filteredFirstPage.p99 < 10),
                ("search 2 chars p99", ms(r.search2Chars.p99), "< 10 ms", r.search2Chars.p99 < 10),
                ("search 4 chars p99", ms(r.search4Chars.p99), "< 10 ms", r.search4Chars.p99 < 10),
                ("search a phone number (1 hit) p99", ms(r.searchRare?.p99 ?? 0), "< 10 ms", (r.searchRare?.p99 ?? 0) < 10),
                ("search 2 chars, newest first p99", ms(r.search2CharsNewest?.p99 ?? 0), "< 10 ms", (r.search2CharsNewest?.p99 ?? 0) < 10),
                ("tag-filtered first page p99", ms(r.tagFilteredFirstPage.p99), "< 20 ms", r.tagFilteredFirstPage.p99 < 20),
                ("find duplicates p50", ms(r.findDuplicates.p50), "< 1 ms", r.findDuplicates.p50 < 1),
            ]
        }
        if let p = reclaim {
            out += [
                ("reclaim pass, dry run (whole book)", f(p.dryRunSeconds) + " s", "< 10 s", p.dryRunSeconds < 10),
                ("reclaim pass, real run", f(p.realRunSeconds) + " s", "< 10 s", p.realRunSeconds < 10),
            ]
        }
        if let h = http {
            out += [
                ("HTTP GET by id p99 (16 conns)", ms(h.getByID.latency.p99), "< 5 ms", h.getByID.latency.p99 < 5),
                ("HTTP filtered first page p99", ms(h.filteredFirstPage.latency.p99), "< 10 ms", h.filteredFirstPage.latency.p99 < 10),
                ("HTTP create p99 (duplicate rules, stock pack)", ms(h.creates.latency.p99), "< 10 ms", h.creates.latency.p99 < 10),
                ("HTTP GET by id / healthz", String(format: "%.2f", h.getToHealthz), "≥ 0.6", h.getToHealthz >= 0.6),
                ("HTTP creates/s", f(h.creates.requestsPerSecond), "≥ 5000", h.creates.requestsPerSecond >= 5_000),
                ("HTTP failed requests", "\(h.getByID.failures + h.filteredFirstPage.failures + h.creates.failures + (h.createsBusy?.failures ?? 0))", "0",
                 h.getByID.failures + h.filteredFirstPage.failures + h.creates.failures + (h.createsBusy?.failures ?? 0) == 0),
            ]
            if let busy = h.createsBusy {  // phases shorter than 3 s skip it
                out.append(("HTTP create p99, cores busy", ms(busy.latency.p99), "< 10 ms", busy.latency.p99 < 10))
            }
        }
        if let c = hardening {
            out += [
                ("hardening checks per GET by id (share of its CPU)", pct2(c.readShare), "< 3%", c.readShare < 0.03),
                ("hardening checks per create (share of its CPU)", pct2(c.createShare), "< 3%", c.createShare < 0.03),
            ]
        }
        if let w = web {
            out += [
                ("web list page p99 (16 conns)", ms(w.listPage.latency.p99), "< 50 ms", w.listPage.latency.p99 < 50),
                ("web detail page with timeline p99", ms(w.detailPage.latency.p99), "< 50 ms", w.detailPage.latency.p99 < 50),
                ("web page weight (largest, without scripts)", "\(max(w.listPageBytes, w.detailPageBytes) / 1024) KB", "< 300 KB",
                 max(w.listPageBytes, w.detailPageBytes) < 300 * 1024),
                ("web failed requests", "\(w.listPage.failures + w.detailPage.failures + (w.kanbanPage?.failures ?? 0))", "0",
                 w.listPage.failures + w.detailPage.failures + (w.kanbanPage?.failures ?? 0) == 0),
            ]
            if let k = w.kanbanPage {
                out.append(("web kanban (\(w.kanbanCards ?? 0) cards) p99", ms(k.latency.p99), "< 50 ms", k.latency.p99 < 50))
                out.append(("web kanban page weight", "\((w.kanbanPageBytes ?? 0) / 1024) KB", "< 300 KB", (w.kanbanPageBytes ?? 0) < 300 * 1024))
            }
        }
        if let o = opportunities {
            out += [
                ("opportunity funnel, company p99", ms(o.funnelCompany.p99), "< 200 ms", o.funnelCompany.p99 < 200),
                ("opportunity funnel, one team p99", ms(o.funnelTeam.p99), "< 50 ms", o.funnelTeam.p99 < 50),
                ("weighted forecast by month p99", ms(o.forecastByMonth.p99), "< 500 ms", o.forecastByMonth.p99 < 500),
            ]
            if let s = o.reportRunSpec {
                out.append(("report run, spec by owner × quarter p99", ms(s.p99), "< 1000 ms", s.p99 < 1000))
            }
        }
        if let p = products {
            out += [
                ("available stock of one product p99", ms(p.availableAll.p99), "< 1 ms", p.availableAll.p99 < 1),
                ("pricing 50 lines (Lua policy) p99", ms(p.price50Lines.p99), "< 20 ms", p.price50Lines.p99 < 20),
            ]
        }
        if let o = orders {
            out += [
                ("price a 50-line order p99", ms(o.price50Lines.p99), "< 20 ms", o.price50Lines.p99 < 20),
                ("save a 50-line order p99", ms(o.save50Lines.p99), "< 50 ms", o.save50Lines.p99 < 50),
                ("sales by product, a year of \(o.orderLines) lines p99", ms(o.salesByProductYear.p99), "< 500 ms", o.salesByProductYear.p99 < 500),
            ]
        }
        if let fi = finance {
            out += [
                ("aging, whole company, \(fi.installments) installments p99", ms(fi.agingCompany.p99), "< 1 s", fi.agingCompany.p99 < 1000),
                ("aging, one rep p99", ms(fi.agingOneRep.p99), "< 50 ms", fi.agingOneRep.p99 < 50),
                ("one order's collection figures p99", ms(fi.orderFigures.p99), "< 1 ms", fi.orderFigures.p99 < 1),
            ]
        }
        if let d = dataTransfer {
            out += [
                ("xlsx import with 查重 / CSV (\(d.importRows) rows)", pct(d.xlsxToCSVRatio), "≥ 80%", d.xlsxToCSVRatio >= 0.8),
                ("export \(d.exportRecords) customers to xlsx", f(d.xlsxExportSeconds) + " s", "< 60 s", d.xlsxExportSeconds < 60),
                ("peak RSS after the xlsx export", f(d.peakRSSAfterExportMiB) + " MiB", "< 500 MiB", d.peakRSSAfterExportMiB < 500),
                ("backup of \(d.exportRecords) customers (reads go on: \(d.readsDuringBackup))", f(d.backupSeconds) + " s", "< 30 s",
                 d.backupSeconds < 30 && d.readsDuringBackup > 0),
            ]
        }
        if let m = marketing {
            out += [
                ("lead capture (查重 + scoring + assignment), in process", f(m.captureRowsPerSecond) + " leads/s", "≥ 2000", m.captureRowsPerSecond >= 2000),
                ("assign one lead p99", ms(m.assignOne.p99), "< 2 ms", m.assignOne.p99 < 2),
                ("simulate_assignment over \(m.simulatedLeads) leads", f(m.simulateSeconds) + " s", "< 5 s", m.simulateSeconds < 5),
                ("campaign ROI with \(m.leads) leads p99", ms(m.roi.p99), "< 100 ms", m.roi.p99 < 100),
            ]
        }
        if let p = payroll {
            out += [
                ("payroll run, \(p.employees) employees over \(p.credits) credits (Lua plans)", f(p.runSeconds) + " s", "< 10 s", p.runSeconds < 10),
                ("payroll simulate one person, one month p99", ms(p.simulateOne.p99), "< 50 ms", p.simulateOne.p99 < 50),
            ]
        }
        if let s = service {
            out += [
                ("SLA state, one ticket with 200 status changes p99", ms(s.slaState.p99), "< 1 ms", s.slaState.p99 < 1),
                ("SLA report by agent over \(s.tickets) tickets", f(s.slaReportSeconds) + " s", "< 2 s", s.slaReportSeconds < 2),
                ("route one ticket p99", ms(s.routeOne.p99), "< 2 ms", s.routeOne.p99 < 2),
                ("knowledge-base search, \(s.articles) articles p99", ms(s.search.p99), "< 10 ms", s.search.p99 < 10),
            ]
        }
        out.append(("peak RSS", f(peakRSSMiB) + " MiB", "< 500 MiB", peakRSSMiB < 500))
        return out
    }

    func table() -> String {
        let what = limitRowsPerSecond > 0 ? "\(scale) customers" : http != nil ? "\(scale) customers, HTTP only"
            : reads != nil ? "\(scale) customers, reads only"
            : hookCallMicroseconds > 0 ? "Lua hook comparison only"
            : dataTransfer != nil && opportunities == nil ? "\(scale) customers, data in and out only"
            : service != nil && opportunities == nil && products == nil ? "service only"
            : opportunities == nil && products == nil && marketing != nil ? "marketing only"
            : opportunities == nil ? "products only" : "opportunities only"
        var lines = ["crm-bench — \(what), \(cores) cores, \(date)", ""]
        if limitRowsPerSecond == 0 && sameWorkLimitRowsPerSecond > 0 {
            lines.append(row("limit: raw SQLite, same work per record", rate(sameWorkLimitRowsPerSecond), ""))
            lines.append(row("bulk import, kernel + stock pack", rate(bulkRowsPerSecond), String(format: "%.2f × same work", bulkToSameWork)))
        }
        if limitRowsPerSecond == 0 && reads != nil {
            if sameWorkLimitRowsPerSecond == 0 { lines.append(row("bulk import, kernel + stock pack", rate(bulkRowsPerSecond), "")) }
            lines.append(row("single create p50 / p99", ms(singleCreate.p50) + " / " + ms(singleCreate.p99), ""))
        }
        if limitRowsPerSecond == 0 && hookCallMicroseconds > 0 {
            lines.append(row("bulk, no scripts / no-op Swift hook", rate(bulkWithoutScriptsRowsPerSecond) + " / " + rate(bulkWithSwiftHookRowsPerSecond), ""))
            lines.append(row("bulk, stock pack minus crm.on / stock pack", rate(bulkWithPackWithoutHooksRowsPerSecond) + " / " + rate(bulkWithScriptsSmallRowsPerSecond), ""))
            lines.append(row("Lua before_save overhead", f(hookOverheadMicroseconds) + " µs/record", "(whole pack: \(f(packOverheadMicroseconds)) µs)"))
            lines.append(row("Lua before_save in the kernel (timed)", f(hookInKernelMicroseconds) + " µs/record", hookTimedNote))
            lines.append(row("Lua hook call alone (no kernel)", f(hookCallMicroseconds) + " µs/call",
                             "+86 138-0013-8000: " + f(hookCallFormattedPhoneMicroseconds) + " µs"))
        }
        if limitRowsPerSecond > 0 {
            lines.append(row("limit: raw SQLite insert", rate(limitRowsPerSecond), "1.00 × limit"))
            lines.append(row("limit: raw SQLite, same work per record", rate(sameWorkLimitRowsPerSecond), ratio(sameWorkLimitRowsPerSecond)))
            lines.append(row("bulk import, kernel + stock pack", rate(bulkRowsPerSecond),
                             ratio(bulkRowsPerSecond) + String(format: ", %.2f × same work", bulkToSameWork)))
            lines.append(row("bulk, no scripts (hook comparison)", rate(bulkWithoutScriptsRowsPerSecond), ratio(bulkWithoutScriptsRowsPerSecond)))
            lines.append(row("bulk, no-op Swift hook (hook comparison)", rate(bulkWithSwiftHookRowsPerSecond), ratio(bulkWithSwiftHookRowsPerSecond)))
            lines.append(row("bulk, stock pack minus crm.on (hook comparison)", rate(bulkWithPackWithoutHooksRowsPerSecond), ratio(bulkWithPackWithoutHooksRowsPerSecond)))
            lines.append(row("bulk, stock pack (hook comparison)", rate(bulkWithScriptsSmallRowsPerSecond), ratio(bulkWithScriptsSmallRowsPerSecond)))
            lines.append(row("Lua before_save overhead", f(hookOverheadMicroseconds) + " µs/record", "(whole pack: \(f(packOverheadMicroseconds)) µs)"))
            lines.append(row("Lua before_save in the kernel (timed)", f(hookInKernelMicroseconds) + " µs/record", hookTimedNote))
            lines.append(row("Lua hook call alone (no kernel)", f(hookCallMicroseconds) + " µs/call",
                             "+86 138-0013-8000: " + f(hookCallFormattedPhoneMicroseconds) + " µs"))
            lines.append(row("single create p50 / p99", ms(singleCreate.p50) + " / " + ms(singleCreate.p99),
                             ratio(singleCreate.p50 > 0 ? 1000 / singleCreate.p50 : 0) + " (at p50)"))
        }
        if let r = reads {
            for (name, l) in [("get by id", r.getByID), ("filtered first page", r.filteredFirstPage),
                              ("search 2 chars (\(r.search2Matches) hits)", r.search2Chars),
                              ("search 4 chars (\(r.search4Matches) hits)", r.search4Chars),
                              ("search a phone number (1 hit)", r.searchRare ?? Latency([])),
                              ("search 2 chars, newest first", r.search2CharsNewest ?? Latency([])), ("group-by report", r.groupBy),
                              ("two-tag filtered first page", r.tagFilteredFirstPage), ("find duplicates (查重)", r.findDuplicates)] {
                lines.append(row(name + " p50 / p99", ms(l.p50) + " / " + ms(l.p99), ""))
            }
        }
        if let p = reclaim {
            lines.append(row("公海 reclaim dry run (\(p.due) due)", f(p.dryRunSeconds) + " s", ""))
            lines.append(row("公海 reclaim real run (\(p.moved) moved)", f(p.realRunSeconds) + " s", ""))
        }
        if let w = web {
            var pages = [("web list page", w.listPage, w.listPageBytes), ("web detail page", w.detailPage, w.detailPageBytes)]
            if let k = w.kanbanPage { pages.append(("web kanban, \(w.kanbanCards ?? 0) cards", k, w.kanbanPageBytes ?? 0)) }
            for (name, r, bytes) in pages {
                lines.append(row("\(name), \(r.connections) conns, \(bytes / 1024) KB", f(r.requestsPerSecond) + " req/s",
                                 "p50 " + ms(r.latency.p50) + " / p99 " + ms(r.latency.p99) + loopLag(r)))
            }
        }
        if let h = http {
            var phases = [("HTTP GET by id", h.getByID), ("HTTP filtered first page", h.filteredFirstPage), ("HTTP create", h.creates)]
            if let z = h.healthz { phases.insert(("HTTP /healthz (the server's ceiling)", z), at: 0) }
            if let z = h.healthzBusy { phases.append(("HTTP /healthz, cores busy", z)) }
            if let b = h.createsBusy { phases.append(("HTTP create, cores busy", b)) }
            for (name, r) in phases {
                let cpu = r.serverCPUMicroseconds.map { String(format: ", CPU %.0f µs/req", $0) } ?? ""
                lines.append(row("\(name), \(r.connections) conns", f(r.requestsPerSecond) + " req/s",
                                 "p50 " + ms(r.latency.p50) + " / p99 " + ms(r.latency.p99) + cpu + loopLag(r)))
            }
            if h.healthz != nil { lines.append(row("HTTP GET by id / healthz", String(format: "%.2f ×", h.getToHealthz), "")) }
            if let ratio = h.busyCreateToHealthzP99 {
                lines.append(row("HTTP create p99 / healthz p99, cores busy", String(format: "%.2f ×", ratio), ""))
            }
            if let c = hardening {
                lines.append(row("hardening: strict JSON / JSONDecoder", String(format: "%.2f / %.2f µs", c.strictJSONMicroseconds, c.foundationJSONMicroseconds), ""))
                lines.append(row("hardening: text rules, query budget, version", String(format: "%.2f / %.2f / %.2f µs", c.textRulesMicroseconds, c.queryBudgetMicroseconds, c.versionHeaderMicroseconds), ""))
                lines.append(row("hardening added per create / per read", String(format: "%.2f / %.2f µs", c.perCreateMicroseconds, c.perReadMicroseconds),
                                 pct2(c.createShare) + " / " + pct2(c.readShare) + " of a request"))
            }
            for (name, tail) in [("create tail (quiet)", h.createTail), ("create tail (cores busy)", h.createTailBusy)] {
                guard let tail else { continue }
                lines.append(name + ":")
                lines += tail.lines.map { "    " + $0 }
            }
        }
        if let o = opportunities {
            lines.append(row("opportunities loaded (\(o.opportunities), \(o.historyRows) history)", rate(o.loadRowsPerSecond), ratio(o.loadRowsPerSecond)))
            for (name, l) in [("funnel, company", o.funnelCompany), ("funnel, one team (\(o.teamOpportunities) deals)", o.funnelTeam),
                              ("weighted forecast by month", o.forecastByMonth)] {
                lines.append(row(name + " p50 / p99", ms(l.p50) + " / " + ms(l.p99), ""))
            }
            if let f = o.reportRunFunnel, let s = o.reportRunSpec {
                lines.append(row("report run: opportunities.funnel p50 / p99", ms(f.p50) + " / " + ms(f.p99), ""))
                lines.append(row("report run: spec by owner × quarter p50 / p99", ms(s.p50) + " / " + ms(s.p99), ""))
            }
        }
        if let p = products {
            lines.append(row("products loaded (\(p.products), \(p.moves) stock moves)", rate(p.loadRowsPerSecond), ratio(p.loadRowsPerSecond)))
            for (name, l) in [("available stock, all warehouses", p.availableAll), ("available stock, one warehouse", p.availableOne),
                              ("pricing 50 lines (products.price)", p.price50Lines), ("price facts of 50 lines, Swift alone", p.facts50Lines)] {
                lines.append(row(name + " p50 / p99", ms(l.p50) + " / " + ms(l.p99), ""))
            }
        }
        if let o = orders {
            lines.append(row("order lines loaded (\(o.orderLines), \(o.products) products)", f(o.loadLinesPerSecond) + " lines/s", ""))
            for (name, l) in [("price a 50-line order", o.price50Lines), ("save a 50-line order", o.save50Lines),
                              ("sales by product, a year", o.salesByProductYear)] {
                lines.append(row(name + " p50 / p99", ms(l.p50) + " / " + ms(l.p99), ""))
            }
        }
        if let fi = finance {
            lines.append(row("installments loaded (\(fi.installments))", f(fi.loadInstallmentsPerSecond) + " installments/s", ""))
            for (name, l) in [("aging, whole company", fi.agingCompany), ("aging, one rep", fi.agingOneRep), ("one order's collection figures", fi.orderFigures)] {
                lines.append(row(name + " p50 / p99", ms(l.p50) + " / " + ms(l.p99), ""))
            }
        }
        if let d = dataTransfer {
            lines.append(row("import \(d.importRows) customers from CSV (查重)", f(d.csvImportRowsPerSecond) + " rows/s", ""))
            lines.append(row("import \(d.importRows) customers from .xlsx (查重)", f(d.xlsxImportRowsPerSecond) + " rows/s",
                             String(format: "%.2f × CSV", d.xlsxToCSVRatio)))
            lines.append(row("export \(d.exportRecords) customers to .xlsx", f(d.xlsxExportSeconds) + " s", "peak RSS after: \(f(d.peakRSSAfterExportMiB)) MiB"))
            lines.append(row("backup of \(d.exportRecords) customers", f(d.backupSeconds) + " s", "\(d.readsDuringBackup) reads meanwhile"))
        }
        if let m = marketing {
            lines.append(row("lead capture in process (\(m.leads) leads)", f(m.captureRowsPerSecond) + " leads/s",
                             String(format: "%.0f%% repeats merged", m.captureRepeatShare * 100)))
            lines.append(row("assign one lead p50 / p99", ms(m.assignOne.p50) + " / " + ms(m.assignOne.p99), ""))
            lines.append(row("simulate_assignment over \(m.simulatedLeads) leads", f(m.simulateSeconds) + " s", ""))
            lines.append(row("campaign ROI p50 / p99", ms(m.roi.p50) + " / " + ms(m.roi.p99), ""))
        }
        if let p = payroll {
            lines.append(row("payroll run, \(p.employees) employees, \(p.credits) credits", f(p.runSeconds) + " s", ""))
            lines.append(row("payroll simulate one person p50 / p99", ms(p.simulateOne.p50) + " / " + ms(p.simulateOne.p99), ""))
        }
        if let s = service {
            lines.append(row("SLA state, 200 status changes p50 / p99", ms(s.slaState.p50) + " / " + ms(s.slaState.p99), ""))
            lines.append(row("SLA report by agent (\(s.tickets) tickets)", f(s.slaReportSeconds) + " s", ""))
            lines.append(row("route one ticket p50 / p99", ms(s.routeOne.p50) + " / " + ms(s.routeOne.p99), ""))
            lines.append(row("    routing inside the transaction p50 / p99", ms(s.routeBody.p50) + " / " + ms(s.routeBody.p99), ""))
            lines.append(row("    empty write, same loop p50 / p99", ms(s.emptyWrite.p50) + " / " + ms(s.emptyWrite.p99), ""))
            lines.append(row("knowledge-base search (\(s.articles)) p50 / p99", ms(s.search.p50) + " / " + ms(s.search.p99), ""))
        }
        lines.append(row("peak RSS", f(peakRSSMiB) + " MiB", ""))
        for section in memoryBySection {
            lines.append(row("    peak RSS in \(section.name)", f(section.peakMiB) + " MiB", "resident after: \(f(section.residentAfterMiB)) MiB"))
        }
        lines.append(row("total time", f(totalSeconds) + " s", ""))
        lines += ["", "targets:"]
        for t in targets { lines.append("  \(t.3 ? "PASS" : "MISS")  \(t.0): \(t.1) (target \(t.2))") }
        return lines.joined(separator: "\n")
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard var object = try JSONSerialization.jsonObject(with: encoder.encode(self)) as? [String: Any] else { return }
        object["bulkRatioToLimit"] = bulkRatio
        object["bulkRatioToSameWork"] = bulkToSameWork
        object["targets"] = targets.map { ["name": $0.0, "measured": $0.1, "target": $0.2, "met": $0.3] }
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    /// One table row: the label in 50 columns and the figure in 24, each followed by at least
    /// one space when it is longer, so a long label never runs into (or cuts) its figure.
    private func row(_ a: String, _ b: String, _ c: String) -> String {
        func column(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        return column(a, 50) + column(b, 24) + c
    }
    private func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// The note beside the timed hook: what it is and what its clock reads cost.
    private var hookTimedNote: String {
        String(format: "CPU time in the hook runner (clock reads: %.2f µs in place, %.2f in a loop)",
               hookClockInPlaceMicroseconds, hookClockInLoopMicroseconds)
    }

    /// How late the event loops ran during a wrk phase (`LoopLagProbe`), when measured.
    private func loopLag(_ r: HTTPLoad.Result) -> String {
        guard let longest = r.longestLoopLag else { return "" }
        return String(format: ", loops late ≤ %.1f ms (%d × > 10 ms)", longest, r.loopLagsOver10ms ?? 0)
    }
    private func ms(_ x: Double) -> String { String(format: "%.3f ms", x) }
    private func pct(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }
    private func pct2(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }
    private func rate(_ x: Double) -> String { String(format: "%.0f rows/s", x) }
    private func ratio(_ x: Double) -> String { limitRowsPerSecond > 0 ? String(format: "%.3f × limit", x / limitRowsPerSecond) : "" }
}
