// Fonts for the charts' PNG copies (src/display/png.ts renders SVG with resvg, which is given font files
// explicitly): DejaVu Sans for Latin text and Nanum Gothic for the lessons' Korean. Debian packages,
// installed quietly when missing and we may (root with apt); otherwise PNGs fall back to system fonts.
import { existsSync } from "node:fs";
import { run } from "./run.mjs";

export const CHART_FONTS = {
  "fonts-dejavu-core": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "fonts-nanum": "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
};

export function ensureChartFonts(log = console.log) {
  const missing = Object.entries(CHART_FONTS)
    .filter(([, file]) => !existsSync(file))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return "present";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    return `missing ${missing.join(", ")} (install these Debian packages for Korean text in chart PNGs)`;
  }
  log(`  installing Debian's ${missing.join(" ")} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const args = ["install", "-y", "-qq", "--no-install-recommends", ...missing];
  let result = run("apt-get", args, { env });
  if (result.status !== 0) {
    run("apt-get", ["update", "-qq"], { env });
    result = run("apt-get", args, { env });
  }
  const still = Object.entries(CHART_FONTS).filter(([, file]) => !existsSync(file));
  return still.length === 0
    ? `installed ${missing.join(", ")}`
    : `apt-get could not install ${still.map(([pkg]) => pkg).join(", ")}: ${result.stderr.trim().split("\n").pop()}`;
}
