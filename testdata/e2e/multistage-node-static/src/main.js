// Says when the page was opened.
document.getElementById("greeting").title = `Opened at ${new Date().toLocaleTimeString()}`;
