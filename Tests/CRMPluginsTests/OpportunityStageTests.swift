import CRMKernel
@testable import CRMOpportunities
import Foundation
import Testing

/// Moves through the pipelines: gates, skips, going back, losing, bad amounts, history, stamps.
struct OpportunityStageTests {
    typealias F = OpportunityFixture

    @Test func aNewOpportunityStartsInTheFirstStageWithItsProbabilityAndOneHistoryRow() throws {
        let f = try F()
        let o = try f.create()
        #expect(o["stage"] == .text("初步接触"))
        #expect(o["probability"] == .integer(10))
        #expect(o["pipeline"] == .text("default"))
        #expect(o["stage_entered_at"] != .null)
        let h = try f.history(o.id)
        #expect(h.count == 1)
        #expect(h[0]["from_stage"] == .null)
        #expect(h[0]["to_stage"] == .text("初步接触"))
        #expect(h[0]["moved_by"] == .integer(f.rep.id!))
        #expect(h[0]["left_at"] == .null)
    }

    @Test func eachMoveClosesTheOpenStayAppendsOneAndPublishesStageChangedAndWon() throws {
        let f = try F()
        let o = try f.create("甲", ["amount": .decimal(100_000), "expected_close_date": .text("2026-03-31"), "decision_maker": .text("王总"),
                                   "stage_entered_at": F.day(0)])
        for (i, stage) in ["需求确认", "方案制定", "合同谈判"].enumerated() {
            _ = try f.write { try OpportunityActions.move($0, o.id, to: stage, fields: ["stage_entered_at": F.day(Double(i + 1) * 2)]) }
        }
        let won = try f.write { try OpportunityActions.win($0, o.id, fields: ["stage_entered_at": F.day(10)]) }
        #expect(won["stage"] == .text("赢单"))
        #expect(won["probability"] == .integer(100))
        let h = try f.history(o.id)
        #expect(h.map { $0["to_stage"] } == ["初步接触", "需求确认", "方案制定", "合同谈判", "赢单"].map(Value.text))
        #expect(h.map { $0["from_stage"] } == [.null] + ["初步接触", "需求确认", "方案制定", "合同谈判"].map(Value.text))
        #expect(h.map { $0["dwell_seconds"] } == [2, 2, 2, 4].map { .integer(Int64($0 * 86_400)) } + [.null])
        #expect(h[3]["next_stage"] == .text("赢单"))
        #expect(h.allSatisfy { $0["amount"] == .decimal(100_000) })
        let names = try f.store.outbox(after: 0, limit: 1000).map(\.event)
        #expect(names.filter { $0 == "opportunity.stage_changed" }.count == 4)
        #expect(names.filter { $0 == "opportunity.won" }.count == 1)
    }

    @Test func winningStampsWonAndClosedDateInTheWorkspaceTimeZoneAndTheCycle() throws {
        let f = try F()
        let o = try f.create("甲", ["stage_entered_at": F.day(0), "decision_maker": .text("王总")])
        // 2026-01-05T20:00Z is 2026-01-06 04:00 in Shanghai.
        let won = try f.write { try OpportunityActions.win($0, o.id, fields: ["stage_entered_at": F.day(4 + 20.0 / 24)]) }
        #expect(won["won_date"] == .text("2026-01-06"))
        #expect(won["closed_date"] == .text("2026-01-06"))
        #expect(won["cycle_days"] == .integer(4))
        let reopened = try f.write { try OpportunityActions.move($0, o.id, to: "合同谈判", fields: ["amount": .decimal(1), "expected_close_date": .text("2026-02-01")]) }
        #expect(reopened["won_date"] == .null && reopened["closed_date"] == .null, "going back from a won stage reopens the deal")
    }

    @Test func theGateBlocksNegotiationListingEveryMissingFieldAndChangesNothing() throws {
        let f = try F()
        let o = try f.create()
        for stage in ["需求确认", "方案制定"] { _ = try f.write { try OpportunityActions.move($0, o.id, to: stage) } }
        let error = kernelError { _ = try f.write { try OpportunityActions.move($0, o.id, to: "合同谈判") } }
        #expect(error?.kind == .validation)
        #expect(Set(error?.fieldErrors.map(\.field) ?? []) == ["amount", "expected_close_date", "decision_maker"])
        #expect(try f.store.get("opportunity", o.id)?["stage"] == .text("方案制定"))
        #expect(try f.history(o.id).count == 3)
        let moved = try f.write {
            try OpportunityActions.move($0, o.id, to: "合同谈判", fields: ["amount": .decimal(50_000), "expected_close_date": .text("2026-06-30"),
                                                                    "decision_maker": .text("王总")])
        }
        #expect(moved["stage"] == .text("合同谈判"))
        #expect(try f.history(o.id).count == 4)
    }

    @Test func skippingAStageIsRefusedAndGoingBackIsAllowedWhereThePipelineAllowsIt() throws {
        let f = try F()
        let o = try f.create()
        let skip = kernelError { _ = try f.write { try OpportunityActions.move($0, o.id, to: "方案制定") } }
        #expect(skip?.fieldErrors.first?.field == "stage")
        #expect(try f.history(o.id).count == 1)
        _ = try f.write { try OpportunityActions.move($0, o.id, to: "需求确认") }
        let back = try f.write { try OpportunityActions.move($0, o.id, to: "初步接触") }
        #expect(back["stage"] == .text("初步接触"))
        #expect(back["probability"] == .integer(10))

        let p = try f.create("项目甲", ["business_line": .text("项目")])
        _ = try f.write { try OpportunityActions.move($0, p.id, to: "招投标", fields: ["bid_deadline": .text("2026-05-01")]) }
        let refused = kernelError { _ = try f.write { try OpportunityActions.move($0, p.id, to: "立项") } }
        #expect(refused?.fieldErrors.first?.field == "stage", "the project pipeline does not allow going back")
    }

    @Test func losingDemandsAReasonAndChangesNothingWithoutOne() throws {
        let f = try F()
        let o = try f.create()
        for reason in ["", "   "] {
            let error = kernelError { _ = try f.write { try OpportunityActions.lose($0, o.id, reason: reason) } }
            #expect(error?.fieldErrors.first?.field == "loss_reason")
        }
        // A plain update to the lost stage of a pipeline without a gate on it is refused too.
        let p = try f.create("项目乙", ["business_line": .text("项目")])
        let plain = kernelError { _ = try f.write { try $0.update("opportunity", p.id, ["stage": .text("未中标")]) } }
        #expect(plain?.fieldErrors.first?.field == "loss_reason")
        #expect(try f.store.get("opportunity", o.id)?["stage"] == .text("初步接触"))
        #expect(try f.history(o.id).count == 1 && f.history(p.id).count == 1)
        let lost = try f.write { try OpportunityActions.lose($0, o.id, reason: "价格过高") }
        #expect(lost["stage"] == .text("输单"))
        #expect(lost["loss_reason"] == .text("价格过高"))
        #expect(lost["closed_date"] != .null && lost["won_date"] == .null)
        #expect(lost["probability"] == .integer(0))
    }

    @Test func aNegativeAmountIsRefusedAndNothingIsWritten() throws {
        let f = try F()
        let error = kernelError { try f.create("负数", ["amount": .decimal(-1)]) }
        #expect(error?.fieldErrors.first?.field == "amount")
        #expect(try f.store.count("opportunity") == 0 && f.store.count("opportunity_stage") == 0)
        let o = try f.create()
        let update = kernelError { _ = try f.write { try OpportunityActions.move($0, o.id, to: "需求确认", fields: ["amount": .decimal(-5)]) } }
        #expect(update?.fieldErrors.first?.field == "amount")
        #expect(try f.store.get("opportunity", o.id)?["stage"] == .text("初步接触"))
        #expect(try f.history(o.id).count == 1)
    }

    @Test func probabilityComesFromTheStageUnlessTheSameWriteSetsIt() throws {
        let f = try F()
        let o = try f.create("甲", ["probability": .integer(25)])
        #expect(o["probability"] == .integer(25))
        let moved = try f.write { try OpportunityActions.move($0, o.id, to: "需求确认") }
        #expect(moved["probability"] == .integer(30))
        let overridden = try f.write { try OpportunityActions.move($0, o.id, to: "方案制定", fields: ["probability": .integer(65)]) }
        #expect(overridden["probability"] == .integer(65))
    }

    @Test func amountAndOwnerChangesFollowTheOpenStay() throws {
        let f = try F()
        let o = try f.create("甲", ["amount": .decimal(10)])
        _ = try f.write { try $0.update("opportunity", o.id, ["amount": .decimal(20), "owner": .integer(f.manager)]) }
        let h = try f.history(o.id)
        #expect(h.count == 1)
        #expect(h[0]["amount"] == .decimal(20) && h[0]["owner"] == .integer(f.manager))
    }

    @Test func aSalesTargetIsForOneUserOneTeamOrTheCompany() throws {
        let f = try F()
        let company = try f.store.create("sales_target", ["period": .text("2026"), "amount": .decimal(1)])
        #expect(company["level"] == .text("目标"))
        #expect(kernelError { try f.store.create("sales_target", ["user": .integer(f.manager), "period": .text("2026-11")]) } != nil, "no amount, no quantity")
        #expect(kernelError { try f.store.create("sales_target", ["user": .integer(f.manager), "team": .integer(f.team),
                                                                  "period": .text("2026-11"), "amount": .decimal(1)]) } != nil)
        #expect(kernelError { try f.store.create("sales_target", ["user": .integer(f.manager), "period": .text("2026-13"), "amount": .decimal(1)]) } != nil)
        try f.store.create("sales_target", ["team": .integer(f.team), "period": .text("2026-Q4"), "amount": .decimal(1)])
    }
}
