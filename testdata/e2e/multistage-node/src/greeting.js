// The answer the server gives.
module.exports = function greeting() {
  return "Hello from Node.js, built by npm run build.";
};
