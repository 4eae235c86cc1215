(function () {
  var data = JSON.parse(document.getElementById("search-index").textContent);
  var box = document.getElementById("q"), list = document.getElementById("hits");
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase();
    list.textContent = "";
    if (!q) return;
    var n = 0;
    for (var i = 0; i < data.length && n < 30; i++) {
      var e = data[i];
      if ((e.t + " " + e.x).toLowerCase().indexOf(q) < 0) continue;
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = e.u; a.textContent = e.t;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + e.x.slice(0, 80)));
      list.appendChild(li); n++;
    }
    if (!n) { var li = document.createElement("li"); li.textContent = list.dataset.none; list.appendChild(li); }
  });
})();
