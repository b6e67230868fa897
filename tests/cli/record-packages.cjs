// Preload for tests/cli/loaded-packages.test.ts (node --require): when the process exits, writes
// the npm packages it loaded to the file $RECORD_PACKAGES_TO, as a JSON array of names. Reads
// require's cache: the heavy packages (exceljs, s3rver, aws-ses-v2-local, nodemailer, dynalite,
// the AWS SDK clients) are CommonJS and land there however they were imported.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const names = new Set();
  for (const file of Object.keys(require.cache)) {
    const parts = file.split(/[\\/]node_modules[\\/]/);
    if (parts.length < 2) continue;
    const [scope, name] = parts[parts.length - 1].split(/[\\/]/);
    names.add(scope.startsWith('@') ? `${scope}/${name}` : scope);
  }
  writeFileSync(process.env.RECORD_PACKAGES_TO, JSON.stringify([...names].sort()));
});
