// MathJax settings for the formulas that pymdownx.arithmatex marks (\( \) inline, \[ \] display).
// MathJax itself is javascripts/mathjax/tex-mml-chtml.js, served with the site; its fonts
// are found beside it (output/chtml/fonts/woff-v2).
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};

// Material's instant navigation swaps pages without a reload: typeset each new page.
document$.subscribe(() => {
  MathJax.startup.output.clearCache();
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
