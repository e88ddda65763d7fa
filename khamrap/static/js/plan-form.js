// Shows the criteria of the KPI's type (numbers or level descriptions) and hides the other.
(function () {
  function sync(article) {
    var select = article.querySelector("select[name$='-kpi_type']");
    var type = select ? select.value : article.dataset.kpiType;
    article.dataset.kpiType = type;
    article.querySelectorAll("[data-only]").forEach(function (el) {
      el.hidden = el.dataset.only !== type;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("article.kpi").forEach(function (article) {
      sync(article);
      article.addEventListener("change", function (event) {
        if (event.target.name && event.target.name.endsWith("-kpi_type")) sync(article);
      });
    });
  });
})();
