// Lists files under a project folder with a given ending, sorted (Node 20 has no stable fs.glob).
import { readdirSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { projectRoot } from "./setup/paths.mjs";

export function globSync(folder, ending) {
  const root = join(projectRoot, folder);
  if (!existsSync(root)) return [];
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(ending)) found.push(relative(projectRoot, path));
    }
  };
  walk(root);
  return found.sort();
}
