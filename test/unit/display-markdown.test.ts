/** The HTML export's Markdown: nested lists stay nested (lesson 003's contents and optimizer notes). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { markdownToHTML, notebookToHTML, RESULTS_MIME } from "../../src/display/index";

test("nested ordered lists (lesson 003's contents) become lists inside list items", () => {
  const md = [
    "1. Learning rate",
    "   1. Gradient descent algorithm",
    "   2. Large rate",
    "2. Examples",
    "   1. Learning",
    "   3. Mnist digit classifier",
    "      1. Mnist 이미지 데이터 분석",
    "   4. Tips",
    "3. Summary",
  ].join("\n");
  assert.equal(
    markdownToHTML(md),
    "<ol><li>Learning rate<ol><li>Gradient descent algorithm</li><li>Large rate</li></ol></li>" +
      "<li>Examples<ol><li>Learning</li><li>Mnist digit classifier<ol><li>Mnist 이미지 데이터 분석</li></ol></li>" +
      "<li>Tips</li></ol></li><li>Summary</li></ol>",
  );
});

test("bullets nested under bullets, continuation lines, a bullet list inside an ordered one", () => {
  const md = [
    "- Momentum 방식은",
    "  - 말 그대로 **관성**을 주는 것이다.",
    "    이어지는 줄",
    "- Adagrad는",
    "  - step size",
    "",
    "1. first",
    "   - a bullet",
    "2. second",
  ].join("\n");
  assert.equal(
    markdownToHTML(md),
    "<ul><li>Momentum 방식은<ul><li>말 그대로 <strong>관성</strong>을 주는 것이다. 이어지는 줄</li></ul></li>" +
      "<li>Adagrad는<ul><li>step size</li></ul></li></ul>\n" +
      "<ol><li>first<ul><li>a bullet</li></ul></li><li>second</li></ol>",
  );
});

test("a flat list, then a paragraph; a paragraph line ends the list", () => {
  assert.equal(markdownToHTML("- a\n- b\ntext after"), "<ul><li>a</li><li>b</li></ul>\n<p>text after</p>");
  assert.equal(markdownToHTML("intro\n- a\n- b"), "<p>intro</p>\n<ul><li>a</li><li>b</li></ul>");
});

test("the notebook export shows no result markers: results-only outputs are left out, like JupyterLab", () => {
  const html = notebookToHTML({
    cells: [
      {
        cell_type: "code",
        source: "display.report({ '004/final_val_acc': 0.7757 })",
        outputs: [
          { output_type: "display_data", data: { [RESULTS_MIME]: { "004/final_val_acc": 0.7757 } } },
          { output_type: "stream", name: "stdout", text: "final val_acc: 0.7757" },
        ],
      },
    ],
  });
  assert.doesNotMatch(html, /004\/final_val_acc: 0\.7757|\[output with/);
  assert.match(html, /final val_acc: 0\.7757/);
});
