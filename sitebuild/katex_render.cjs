// Renders LaTeX to HTML (with MathML for screen readers) for the site build.
// Protocol: one JSON request per line on stdin, {"tex": "...", "display": true|false};
// one JSON answer per line on stdout, {"html": "..."} or {"error": "..."}.
"use strict";
const katex = require("katex");
const readline = require("readline");

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    answer = {
      html: katex.renderToString(request.tex, {
        displayMode: request.display,
        output: "htmlAndMathml",
        throwOnError: true,
        strict: "error",
      }),
    };
  } catch (error) {
    answer = { error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
