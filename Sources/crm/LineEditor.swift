import CRMKernel
import Foundation

/// A small line editor for the interactive console: cursor keys, history (↑/↓, saved to a
/// file), Home/End, Ctrl-A/E/U/K/W, Ctrl-C to drop the line, Ctrl-D to quit. CJK-width aware.
final class LineEditor {
    private var history: [String]
    private let historyFile: URL
    private var original = termios()

    init(historyFile: URL) {
        self.historyFile = historyFile
        let text = (try? String(contentsOf: historyFile, encoding: .utf8)) ?? ""
        history = text.split(separator: "\n").map(String.init).suffix(1000)
        // Raw mode for the whole session, so typed-ahead lines never pass through the
        // terminal's line discipline between two reads.
        tcgetattr(STDIN_FILENO, &original)
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        tcsetattr(STDIN_FILENO, TCSANOW, &raw)
    }

    deinit {
        tcsetattr(STDIN_FILENO, TCSANOW, &original)
    }

    /// Reads one line with `prompt`; nil at end of input (Ctrl-D on an empty line).
    func read(prompt: String) -> String? {
        var chars: [Character] = []
        var cursor = 0
        var index = history.count
        var pending: [UInt8] = []
        func redraw() {
            let line = String(chars)
            let tail = String(chars[cursor...])
            write("\r\u{1B}[K" + prompt + line + (tail.isEmpty ? "" : "\u{1B}[\(ConsoleWidth.of(tail))D"))
        }
        write(prompt)
        while true {
            var byte: UInt8 = 0
            guard Foundation.read(STDIN_FILENO, &byte, 1) == 1 else { return chars.isEmpty ? nil : String(chars) }
            switch byte {
            case 13, 10:
                write("\r\n")
                let line = String(chars)
                if !line.trimmingCharacters(in: .whitespaces).isEmpty, history.last != line {
                    history.append(line)
                    if let h = try? FileHandle(forWritingTo: historyFile) { h.seekToEndOfFile(); h.write(Data((line + "\n").utf8)); try? h.close() }
                    else { try? (line + "\n").write(to: historyFile, atomically: true, encoding: .utf8) }
                }
                return line
            case 4: if chars.isEmpty { write("\r\n"); return nil }
            case 3: chars = []; cursor = 0; write("^C\r\n"); write(prompt)
            case 1: cursor = 0; redraw()
            case 5: cursor = chars.count; redraw()
            case 21: chars.removeSubrange(0..<cursor); cursor = 0; redraw()
            case 11: chars.removeSubrange(cursor...); redraw()
            case 23:
                var start = cursor
                while start > 0 && chars[start - 1] == " " { start -= 1 }
                while start > 0 && chars[start - 1] != " " { start -= 1 }
                chars.removeSubrange(start..<cursor); cursor = start; redraw()
            case 127, 8: if cursor > 0 { chars.remove(at: cursor - 1); cursor -= 1; redraw() }
            case 27:
                var seq: [UInt8] = [0, 0]
                guard Foundation.read(STDIN_FILENO, &seq[0], 1) == 1, Foundation.read(STDIN_FILENO, &seq[1], 1) == 1 else { continue }
                var key = seq[1]
                if seq[0] == 91, (49...56).contains(key) {
                    var tilde: UInt8 = 0
                    _ = Foundation.read(STDIN_FILENO, &tilde, 1)
                    key = [49: 72, 55: 72, 52: 70, 56: 70, 51: 51][key] ?? 0
                }
                switch key {
                case 65: if index > 0 { index -= 1; chars = Array(history[index]); cursor = chars.count; redraw() }
                case 66:
                    if index < history.count { index += 1; chars = index < history.count ? Array(history[index]) : []; cursor = chars.count; redraw() }
                case 67: if cursor < chars.count { cursor += 1; redraw() }
                case 68: if cursor > 0 { cursor -= 1; redraw() }
                case 72: cursor = 0; redraw()
                case 70: cursor = chars.count; redraw()
                case 51: if cursor < chars.count { chars.remove(at: cursor); redraw() }
                default: break
                }
            default:
                pending.append(byte)
                if let s = String(bytes: pending, encoding: .utf8), let ch = s.first {
                    pending = []
                    chars.insert(ch, at: cursor); cursor += 1; redraw()
                } else if pending.count > 4 { pending = [] }
            }
        }
    }

    private func write(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }
}

/// Terminal column width of text (CJK counts two).
enum ConsoleWidth {
    static func of(_ s: String) -> Int { TextTable.displayWidth(s) }
}
