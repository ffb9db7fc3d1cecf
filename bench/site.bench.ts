// npm run bench site — issue 15, part 2: small saved notebooks and pages. Builds the site (executes every chapter,
// keeping the executed copies in .cache/executed) and checks it in headless Chromium; scripts/check-site.js measures
// and prints, per page, the shared scripts and the time to the last chart drawn (median of 3 loads), then one
// `bench:` line with the goals: shared scripts < 1.6 MB per page, every page drawn < 1.5 s after navigation start,
// a chapter saved after running < 2 MB. This file runs both scripts and repeats that line at the end.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
let summary = "";
for (const script of ["build.js", "check-site.js"]) {
  const r = spawnSync(process.execPath, [path.join(root, "scripts", script)], { cwd: root, encoding: "utf8" });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.status !== 0) {
    console.error(out);
    console.error(`site bench: scripts/${script} failed (exit ${r.status}); no figures.`);
    process.exit(1);
  }
  for (const line of out.split("\n")) {
    if (/shared scripts|written|^bench:/.test(line)) console.log(line);
    if (line.startsWith("bench:")) summary = line;
  }
}
console.log(summary ? `\n${summary}` : "\nsite bench: check-site.js printed no bench line");
