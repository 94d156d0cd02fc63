import Foundation
import Testing

/// `crm import --as USER` goes through the same kernel path as the API: the user's grants and
/// read-only fields apply, as they do for `crm export --as`.
struct ImportAccessCLITests {
    @Test func importAsAUserHonoursTheirGrantsAndReadOnlyFields() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        try #require(crm.run(["user", "add", "rep1", "--role", "sales_rep"]).status == 0)
        try #require(crm.run(["user", "add", "rep2", "--role", "sales_rep"]).status == 0)

        // owner is read-only for sales reps: no row may set it.
        let owned = try crm.write("owned.csv", "name,phone,industry,source,owner\n甲公司,13800000001,制造业,展会推荐,1\n")
        let refused = try crm.run(["import", "customer", owned, "--as", "rep1"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("may not write customer.owner"), "\(refused.stderr)")
        #expect(try crm.run(["export", "customer"]).stdout.split(separator: "\n").count == 1)

        // Without it the rows are imported.
        let plain = try crm.write("plain.csv", "name,phone,industry,source\n乙公司,13800000002,制造业,展会推荐\n")
        #expect(try crm.run(["import", "customer", plain, "--as", "rep1"]).status == 0)
        #expect(try crm.run(["export", "customer"]).stdout.contains("乙公司"))

        // An entity the role may only read (sales targets) cannot be imported into.
        let targets = try crm.write("t.csv", "amount\n1000\n")
        let noGrant = try crm.run(["import", "sales_target", targets, "--as", "rep1"])
        #expect(noGrant.status != 0 && noGrant.stderr.contains("may not create sales_target"), "\(noGrant.stderr)")
    }
}
