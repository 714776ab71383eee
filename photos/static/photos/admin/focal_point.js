// Click the picture to set the focal point: the crops for cards (16:9, 1:1, 4:5)
// keep that spot in frame. The numbers stay editable for keyboard users.
(function () {
  "use strict";
  function place(picker, x, y) {
    var marker = picker.querySelector(".focal-marker");
    marker.style.left = (x * 100).toFixed(1) + "%";
    marker.style.top = (y * 100).toFixed(1) + "%";
  }
  function setup(picker) {
    var inputX = document.getElementById("id_focal_x");
    var inputY = document.getElementById("id_focal_y");
    var image = picker.querySelector("img");
    if (!inputX || !inputY || !image) return;
    place(picker, parseFloat(inputX.value) || 0.5, parseFloat(inputY.value) || 0.5);
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      var x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      var y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
      inputX.value = x.toFixed(3);
      inputY.value = y.toFixed(3);
      place(picker, x, y);
    });
    [inputX, inputY].forEach(function (input) {
      input.addEventListener("input", function () {
        place(picker, parseFloat(inputX.value) || 0, parseFloat(inputY.value) || 0);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-picker").forEach(setup);
  });
})();
