"use strict";
// One task in a child process: node child.js <iterations>; prints the checksum and exits.
const { spin } = require("./cpu.js");
process.stdout.write(String(spin(Number(process.argv[2]) || 0)) + "\n");
