const mods = process.argv.slice(2);
const rss = () => (process.memoryUsage().rss / 1048576).toFixed(1);
console.log("start", rss());
for (const m of mods) {
  await import(m);
  console.log(m, rss());
}
