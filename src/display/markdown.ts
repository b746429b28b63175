/**
 * A minimal Markdown → HTML for notebook export: headings, paragraphs, fenced code, lists, block
 * quotes, rules, and inline code / bold / italic / links / images. Raw HTML is escaped (shown as text).
 */
function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function safeURL(url: string): string {
  return /^\s*javascript:/i.test(url) ? "#" : url;
}

function inline(text: string): string {
  const codes: string[] = [];
  let s = text.replace(/`([^`]+)`/g, (_m, code: string) => {
    codes.push(`<code>${escape(code)}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  s = escape(s)
    .replace(
      /!\[([^\]]*)\]\(([^)\s]+)\)/g,
      (_m, alt: string, src: string) => `<img alt="${alt}" src="${safeURL(src)}">`,
    )
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, t: string, href: string) => `<a href="${safeURL(href)}">${t}</a>`)
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/__([^_]+)__/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>");
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => codes[Number(i)]);
}

interface ListItem {
  text: string;
  children: List[];
}
interface List {
  tag: "ul" | "ol";
  items: ListItem[];
}

const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;

/** A block of list lines as nested lists: an item indented past its list's items opens a list inside it. */
function listHTML(lines: string[]): string {
  const roots: List[] = [];
  const open: { indent: number; list: List }[] = [];
  const lastItem = (list: List) => list.items[list.items.length - 1];
  for (const line of lines) {
    const m = LIST_ITEM.exec(line);
    if (!m) {
      const top = open[open.length - 1];
      if (top) lastItem(top.list).text += ` ${line.trim()}`; // a continuation line
      continue;
    }
    const indent = m[1].replace(/\t/g, "    ").length;
    const tag = /\d/.test(m[2]) ? "ol" : "ul";
    while (open.length && indent < open[open.length - 1].indent) open.pop();
    let top = open[open.length - 1];
    if (top && indent === top.indent && top.list.tag !== tag) {
      open.pop(); // same depth, other kind of list: a new sibling list
      top = open[open.length - 1];
    }
    if (!top || indent > top.indent || top.list.tag !== tag) {
      const list: List = { tag, items: [] };
      if (top && indent > top.indent) lastItem(top.list).children.push(list);
      else roots.push(list);
      open.push({ indent, list });
      top = open[open.length - 1];
    }
    top.list.items.push({ text: m[3], children: [] });
  }
  const render = (list: List): string =>
    `<${list.tag}>${list.items
      .map((item) => `<li>${inline(item.text)}${item.children.map(render).join("")}</li>`)
      .join("")}</${list.tag}>`;
  return roots.map(render).join("\n");
}

export function markdownToHTML(md: string): string {
  const lines = md.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let para: string[] = [];
  let listLines: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join(" "))}</p>`);
    para = [];
    if (listLines.length) out.push(listHTML(listLines));
    listLines = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence[1]); i++) code.push(lines[i]);
      out.push(`<pre><code>${escape(code.join("\n"))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push("<hr>");
    } else if (LIST_ITEM.test(line)) {
      if (para.length) flush();
      listLines.push(line);
    } else if (/^\s*>/.test(line)) {
      flush();
      out.push(`<blockquote>${inline(line.replace(/^\s*>\s?/, ""))}</blockquote>`);
    } else if (line.trim() === "") {
      flush();
    } else if (listLines.length && /^\s+\S/.test(line)) {
      listLines.push(line);
    } else {
      if (listLines.length) flush();
      para.push(line.trim());
    }
  }
  flush();
  return out.join("\n");
}
