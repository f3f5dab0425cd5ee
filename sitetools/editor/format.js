// Provisional: replaced by the format helper's version.
(function (root) {
  function fortsetzungFormat(options) {
    return {
      fromFile: function (text) {
        var cut = text.indexOf("\n\n");
        var head = cut < 0 ? text : text.slice(0, cut);
        var data = { body: cut < 0 ? "" : text.slice(cut + 2) };
        head.split("\n").forEach(function (line) {
          var i = line.indexOf(":");
          if (i > 0) data[line.slice(0, i).trim()] = line.slice(i + 1).trim();
        });
        return data;
      },
      toFile: function (data) {
        var lines = [];
        Object.keys(data).forEach(function (key) {
          if (key !== "body" && key.charAt(0) !== "_" && data[key] !== undefined && data[key] !== "") lines.push(key + ": " + data[key]);
        });
        return lines.join("\n") + "\n\n" + (data.body || "");
      },
    };
  }
  if (typeof module === "object" && module.exports) module.exports = fortsetzungFormat;
  else root.fortsetzungFormat = fortsetzungFormat;
})(this);
