/**
 * Works around a tslab bug that bites lesson code: a shorthand property naming a top-level constant of an
 * earlier cell (`model.fit(x, y, { batchSize, epochs })`) throws "batchSize is not defined", because
 * tslab rewrites such names to `exports.batchSize` everywhere except in shorthand properties. Before a
 * cell runs, `{ batchSize }` is expanded to `{ batchSize: batchSize }` — the same meaning in every case —
 * except in destructuring targets (`({ a } = obj)`, `for ({ a } of xs)`), which must stay patterns.
 */
import type * as TS from "typescript";

function isDestructuringTarget(ts: typeof TS, node: TS.Node): boolean {
  let child: TS.Node = node;
  let parent = node.parent;
  while (parent) {
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      return parent.left === child;
    }
    if ((ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.initializer === child) return true;
    // Patterns nest through arrays, property values, spreads and parentheses; anything else ends the search.
    if (
      !ts.isArrayLiteralExpression(parent) &&
      !ts.isObjectLiteralExpression(parent) &&
      !ts.isPropertyAssignment(parent) &&
      !ts.isSpreadElement(parent) &&
      !ts.isSpreadAssignment(parent) &&
      !ts.isParenthesizedExpression(parent)
    ) {
      return false;
    }
    child = parent;
    parent = parent.parent;
  }
  return false;
}

export function expandShorthandProperties(ts: typeof TS, source: string): string {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const insertions: { at: number; text: string }[] = [];
  const visit = (node: TS.Node): void => {
    if (
      ts.isShorthandPropertyAssignment(node) &&
      !node.objectAssignmentInitializer &&
      !isDestructuringTarget(ts, node.parent)
    ) {
      insertions.push({ at: node.name.end, text: `: ${node.name.text}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const { at, text } of insertions.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
