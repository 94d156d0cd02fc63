import CRMKernel
import Foundation

/// Prints an HTML page to PDF with a headless Chromium (`--print-to-pdf`), or `wkhtmltopdf`
/// when there is no Chromium. Chinese text needs a CJK font (Debian `fonts-noto-cjk`,
/// installed by `scripts/install-deps`). `CRM_PDF_BROWSER` names the browser binary.
public enum ReportPDF {
    /// The PDF of `html`.
    public static func render(_ html: String) throws -> Data {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html"), pdf = dir.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: page)
        let env = ProcessInfo.processInfo.environment
        let browsers = [env["CRM_PDF_BROWSER"], "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].compactMap { $0 }
        if let browser = browsers.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            try run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-pdf-header-footer",
                              "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                              "--print-to-pdf=\(pdf.path)", page.absoluteString])
        } else if FileManager.default.isExecutableFile(atPath: "/usr/bin/wkhtmltopdf") {
            try run("/usr/bin/wkhtmltopdf", ["--quiet", "--encoding", "utf-8", page.path, pdf.path])
        } else {
            throw KernelError(.invalidState, "PDF needs chromium or wkhtmltopdf (run scripts/install-deps)")
        }
        guard let data = try? Data(contentsOf: pdf), data.starts(with: Data("%PDF".utf8)) else {
            throw KernelError(.invalidState, "the PDF printer wrote no PDF")
        }
        return data
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw KernelError(.invalidState, "\(URL(fileURLWithPath: tool).lastPathComponent) failed with status \(process.terminationStatus)")
        }
    }
}
