// Boot the vendored Pyodide under Node and run tools/pycompile.py in it, so
// the worker's bytecode is made by the same CPython that will load it.
//
//   node tools/pycompile.mjs PYODIDE_DIR STDLIB_IN STDLIB_OUT COURSE_IN COURSE_OUT
//
// tools/build.py runs this; see tools/pycompile.py for what and why.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [pyodideDir, stdlibIn, stdlibOut, courseIn, courseOut] = process.argv.slice(2).map((p) => resolve(p));
if (!courseOut) {
  console.error("usage: node tools/pycompile.mjs PYODIDE_DIR STDLIB_IN STDLIB_OUT COURSE_IN COURSE_OUT");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
// Boot from the original source archive: the output must not depend on itself.
const py = await loadPyodide({ indexURL: pyodideDir + "/", stdLibURL: stdlibIn });
const [major, minor] = py.runPython("import sys; sys.version_info[:2]").toJs();
// Where Pyodide puts the standard library archive (pyodide.mjs, installStdlib)
// and where PyScript unpacks pyscript.toml's [files] (the worker's home).
const stdlibPath = `/lib/python${major}${minor}.zip`;
const unpackDir = "/home/pyodide";
py.FS.mkdirTree("/build");
py.FS.writeFile("/build/stdlib.zip", readFileSync(stdlibIn));
py.FS.writeFile("/build/course.zip", readFileSync(courseIn));
py.FS.writeFile("/build/pycompile.py", readFileSync(join(here, "pycompile.py")));
const result = py.runPython(`
import sys, json
sys.path.insert(0, "/build")
import pycompile
json.dumps(pycompile.main("/build/stdlib.zip", "/build/stdlib.out.zip", ${JSON.stringify(stdlibPath)},
                          "/build/course.zip", "/build/course.out.zip", ${JSON.stringify(unpackDir)}))
`);
writeFileSync(stdlibOut, py.FS.readFile("/build/stdlib.out.zip"));
writeFileSync(courseOut, py.FS.readFile("/build/course.out.zip"));
console.log(result);
