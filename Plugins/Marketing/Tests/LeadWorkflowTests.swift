import CRMKernel
@testable import CRMMarketing
import CRMScripting
import Foundation
import Testing
import CRMModuleTestSupport

/// Follow-ups, statuses, the lead pool and conversion.
struct LeadWorkflowTests {
    @Test func aFollowUpOnALeadMovesItToWorkingAndNeedsACustomerOrALead() throws {
        let f = try MarketingFixture()
        let lead = try f.lead(["owner": .integer(f.users["lina"]!)])
        #expect(lead["status"] == .text(MarketingStatus.assigned) && lead["assigned_at"] != .null)
        _ = try f.store.create("followup", ["lead": .integer(lead.id), "type": .text("电话"), "content": .text("约了演示")])
        let after = try #require(try f.store.get("lead", lead.id))
        #expect(after["status"] == .text(MarketingStatus.working) && after["last_followup_at"] != .null)
        let orphan = kernelError { _ = try f.store.create("followup", ["type": .text("电话"), "content": .text("?")]) }
        #expect(orphan?.fieldErrors.first?.field == "customer")
        _ = try f.store.create("task", ["title": .text("发报价"), "lead": .integer(lead.id)])
    }

    @Test func invalidNeedsAReasonAndOnlyConversionConverts() throws {
        let f = try MarketingFixture()
        let lead = try f.lead()
        let noReason = kernelError { _ = try f.store.update("lead", lead.id, ["status": .text(MarketingStatus.invalid)]) }
        #expect(noReason?.fieldErrors.first?.field == "invalid_reason")
        let forced = kernelError { _ = try f.store.update("lead", lead.id, ["status": .text(MarketingStatus.converted)]) }
        #expect(forced?.fieldErrors.first?.field == "status")
        _ = try f.store.update("lead", lead.id, ["status": .text(MarketingStatus.invalid), "invalid_reason": .text("空号")])
    }

    @Test func unworkedLeadsReturnToThePoolAfterAWarningAndClaimsHaveQuotaAndCooldown() throws {
        let f = try MarketingFixture(companyLua: "crm.marketing.lead_pool({ return_after_hours = 24, warn_hours = 6, daily_claims = 1, cooldown_days = 3 })")
        let lina = f.users["lina"]!, wang = f.users["wangqiang"]!
        let lead = try f.lead(["owner": .integer(lina)])
        let other = try f.lead(["name": .text("王五")])
        let assigned = try #require(LeadAssignment.instant(lead["assigned_at"]))
        let warned = try f.store.write(as: .system) { try LeadPool.run($0, now: assigned.addingTimeInterval(20 * 3600)) }
        #expect(warned.warned == 1 && warned.returned.isEmpty)
        #expect(try f.store.count("notification", filter: .eq("user", .integer(lina))) == 1)
        let returned = try f.store.write(as: .system) { try LeadPool.run($0, now: assigned.addingTimeInterval(25 * 3600)) }
        #expect(returned.returned == [lead.id])
        let pooled = try #require(try f.store.get("lead", lead.id))
        #expect(pooled["owner"] == .null && pooled["status"] == .text(MarketingStatus.pooled))
        // Lina lost it: she may not claim it back during the cooldown; Wang may, once a day.
        let cooling = kernelError { _ = try f.store.write(as: .system) { try LeadPool.claim($0, lead: lead.id, user: lina) } }
        #expect(cooling?.kind == .forbidden && cooling?.message.contains("3 days") == true)
        let claimed = try f.store.write(as: .system) { try LeadPool.claim($0, lead: lead.id, user: wang) }
        #expect(claimed["owner"] == .integer(wang) && claimed["status"] == .text(MarketingStatus.assigned))
        let quota = kernelError { _ = try f.store.write(as: .system) { try LeadPool.claim($0, lead: other.id, user: wang) } }
        #expect(quota?.kind == .forbidden && quota?.message.contains("most allowed is 1") == true)
    }

    @Test func conversionMakesCustomerContactOpportunityCarriesFollowUpsAndLocksTheLead() throws {
        let f = try MarketingFixture(companyLua: """
        crm.field("lead", "budget_range", { type = "text", label = "预算范围" })
        crm.field("lead", "wechat", { type = "text", label = "微信" })
        crm.marketing.conversion_map({ contact = { name = "name", phone = "phone", wechat = "wechat" }, customer_defaults = { industry = "制造业" } })
        """)
        let lina = f.users["lina"]!
        let lead = try f.lead(["company": .text("深圳华信科技有限公司"), "phone": .text("13800138001"), "region": .text("广东"),
                               "owner": .integer(lina), "wechat": .text("hx_li"), "budget_range": .text("50万以上"), "product_interest": .text("空压机")])
        let followup = try f.store.create("followup", ["lead": .integer(lead.id), "type": .text("电话"), "content": .text("需求明确")])
        let console = Console(host: f.host) { _ in }
        let answer = console.evaluate("local r = crm.marketing.convert(\(lead.id), {opportunity = {amount = 8000000}}) return r.customer, r.contact, r.opportunity, r.unmapped[1], r.existing_customer")
        #expect(answer.error == nil, "\(answer)")
        let parts = answer.output.split(separator: "\n").map(String.init)
        #expect(parts.count == 5 && parts[3] == "budget_range" && parts[4] == "false", "\(answer.output)")
        let customer = try #require(try f.store.get("customer", Int64(parts[0])!))
        #expect(customer["name"] == .text("深圳华信科技有限公司") && customer["province"] == .text("广东") && customer["owner"] == .integer(lina))
        let contact = try #require(try f.store.get("contact", Int64(parts[1])!))
        #expect(contact["wechat"] == .text("hx_li") && contact["notes"].textValue?.contains("50万以上") == true)
        let opportunity = try #require(try f.store.get("opportunity", Int64(parts[2])!))
        #expect(opportunity["amount"].decimalValue == 8_000_000 && opportunity["customer"] == .integer(customer.id), "\(opportunity.values)")
        #expect(try f.store.get("followup", followup.id)?["customer"] == .integer(customer.id))
        let locked = try #require(try f.store.get("lead", lead.id))
        #expect(locked["status"] == .text(MarketingStatus.converted) && locked["customer"] == .integer(customer.id))
        // Twice: a clear error; an edit of the converted lead is refused too.
        let twice = console.evaluate("return crm.marketing.convert(\(lead.id))")
        #expect(twice.error?.contains("already converted") == true, "\(twice)")
        #expect(kernelError { _ = try f.store.update("lead", lead.id, ["name": .text("x")]) }?.kind == .invalidState)
        // A second lead of the same company joins the existing customer (the customers' 查重).
        let repeatLead = try f.lead(["company": .text("深圳华信科技有限公司"), "phone": .text("13900139002"), "owner": .integer(lina)])
        let bulk = console.evaluate("local r = crm.marketing.convert_many({\(repeatLead.id), \(lead.id)}) return r[1].customer, r[1].existing_customer, r[2].error")
        #expect(bulk.error == nil && bulk.output.hasPrefix("\(customer.id)\ntrue\n") && bulk.output.contains("already converted"), "\(bulk)")
    }
}
