// Printed at the start of `npm test`, so a CI log shows which Node ran the tests: the `node`
// devDependency puts Node 24 first on PATH for npm scripts, whatever the machine ships.
console.log(`runtime: node ${process.version} (${process.platform}-${process.arch})`);
