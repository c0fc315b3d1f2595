module.exports = {
  ...(process.env.STATIC === '1' ? { output: 'export' } : {}),
  reactStrictMode: true,
}
