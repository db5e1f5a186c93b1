import Testing

@testable import KneeloadState

@Suite struct JSONSyntaxCheckTests {
    private func error(_ text: String) -> String? {
        JSONSyntaxCheck.firstError(in: Array(text.utf8))?.description
    }

    @Test func wellFormedTextHasNoError() {
        for text in [
            #"{}"#, #"[]"#, #" {"a": [1, -0.5, 2e10, 3E-2, 0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9"], "b": {}} "#,
            "\n[[[[]]], {\"k\": {\"k\": []}}]\r\n", "12", #""just a string""#,
        ] {
            #expect(error(text) == nil, "\(text)")
        }
    }

    @Test func errorsNameWhatAndWhere() {
        #expect(error("") == "unexpected end of file at line 1, column 1 (byte 0)")
        #expect(error("{\"a\": 01}") == "expected ',' or '}' but found '1' at line 1, column 8 (byte 7)")
        #expect(error("[1,]") == "expected a value but found ']' at line 1, column 4 (byte 3)")
        #expect(error("{\"a\" 1}") == "expected ':' but found '1' at line 1, column 6 (byte 5)")
        #expect(error("{1: 2}") == "expected a string key but found '1' at line 1, column 2 (byte 1)")
        #expect(error("[tru]") == "invalid literal, expected true at line 1, column 5 (byte 4)")
        #expect(error("[1.]") == "malformed number starting at byte 1 at line 1, column 4 (byte 3)")
        #expect(error("[\"a\\q\"]") == "invalid escape but found 'q' at line 1, column 5 (byte 4)")
        #expect(error("[\"a\\u12G4\"]") == "invalid \\u escape at line 1, column 8 (byte 7)")
        #expect(error("[\"a\nb\"]") == "control character 10 inside a string at line 1, column 4 (byte 3)")
        #expect(error("{}\n{}") == "unexpected text after the end of the JSON value but found '{' at line 2, column 1 (byte 3)")
        #expect(error("[1 2]") == "expected ',' or ']' but found '2' at line 1, column 4 (byte 3)")
        #expect(error("[\"abc") == "unterminated string starting at line 1, column 2 (byte 1)")
        #expect(error("\u{FEFF}{}") == "expected a value but found byte 239 at line 1, column 1 (byte 0)")
    }
}
