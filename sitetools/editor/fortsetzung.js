// The site's parts of the browser editor: its file format, its preview pane with
// the check's messages, pictures that need a description; then Decap starts.
// Loaded after einstellungen.js (window.FORTSETZUNG, generated from the schema),
// decap-cms.js (window.CMS, createClass, h) and format.js (fortsetzungFormat).
(function () {
  "use strict";
  var options = window.FORTSETZUNG;
  // Entries and pages, and series files: their fields come in different orders.
  var formats = {
    pelican: window.fortsetzungFormat(options, "entry"),
    "pelican-serie": window.fortsetzungFormat(options, "series"),
  };
  var API = "/admin/api/v1";

  Object.keys(formats).forEach(function (name) {
    CMS.registerCustomFormat(name, "md", formats[name]);
  });

  // Decap's German, with the words of this site's guide: an entry moves from
  // "Entwurf" through "In Prüfung" to "Bereit", then it is published.
  var de = JSON.parse(JSON.stringify(CMS.getLocale("de")));
  de.auth.login = "Editor öffnen";
  de.editor.editorToolbar.inReview = "In Prüfung";
  de.editor.editorToolbar.ready = "Bereit";
  de.editor.editor.onPublishingNotReady =
    "Bitte setzen Sie den Status vor dem Veröffentlichen auf „Bereit“.";
  de.workflow.workflowList.readyHeader = "Bereit";
  de.workflow.workflowList.onPublishingNotReadyEntry =
    "Veröffentlicht werden nur Beiträge in der Spalte „Bereit“. Ziehen Sie den " +
    "Beitrag dorthin, dann lässt er sich veröffentlichen.";
  CMS.registerLocale("de", de);
  // The preview pane in the site's own look.
  CMS.registerPreviewStyle("/theme/css/main.css");

  // What the site's check says of this text, asked of the local backend at
  // most every 800 ms while the author types.
  function checked(params, done) {
    if (!options.checks) {
      done([], "Geprüft wird, sobald Sie den Beitrag zur Prüfung geben: Das Ergebnis steht " +
        "dann in der Prüfansicht (GitHub oder GitLab). Mit Fehlern lässt er sich nicht veröffentlichen.");
      return;
    }
    fetch(API, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ action: "check", params: params }),
    })
      .then(function (answer) { return answer.json(); })
      .then(function (answer) { done(answer.problems || [], answer.error); })
      .catch(function () { done([], "Die Prüfung ist gerade nicht erreichbar."); });
  }

  function problemList(problems, error) {
    if (error) return h("p", { className: "pruefung-fehler" }, error);
    if (!problems.length) {
      return h("p", { className: "pruefung-ok" }, "Die Prüfung findet nichts: Alles in Ordnung.");
    }
    return h(
      "ul",
      {},
      problems.map(function (p, n) {
        var where = p.label ? "Feld „" + p.label + "“: " : p.line ? "Zeile " + p.line + ": " : "";
        var kind = p.severity === "error" ? "Fehler" : "Hinweis";
        return h("li", { key: n }, kind + " – " + where + p.message + (p.fix ? " " + p.fix : ""));
      })
    );
  }

  var EntryPreview = createClass({
    getInitialState: function () { return { problems: [], error: null, raw: null }; },
    componentDidMount: function () { this.schedule(); },
    componentDidUpdate: function () { this.schedule(); },
    componentWillUnmount: function () { clearTimeout(this.timer); },
    schedule: function () {
      var entry = this.props.entry;
      var raw;
      try {
        // the text as saving would write it (its own format: line numbers)
        raw = formats[this.props.collection.get("format")].toFile(entry.get("data").toJS());
      } catch (error) {
        // a value the header cannot hold: the format says why, in German
        if (this.state.error !== error.message) this.setState({ error: error.message, raw: null });
        return;
      }
      if (raw === this.state.raw) return;
      var params = {
        branch: options.branch,
        collection: this.props.collection.get("name"),
        slug: entry.get("slug") || "",
        path: entry.get("path") || this.props.collection.get("folder") + "/neu.md",
        raw: raw,
      };
      var self = this;
      clearTimeout(this.timer);
      this.timer = setTimeout(function () {
        checked(params, function (problems, error) {
          self.setState({ problems: problems, error: error, raw: raw });
        });
      }, 800);
    },
    render: function () {
      var data = this.props.entry.get("data");
      return h(
        "div",
        { className: "editor-vorschau" },
        h(
          "section",
          { className: "pruefung", "aria-live": "polite" },
          h("h2", {}, "Was die Prüfung sagt"),
          problemList(this.state.problems, this.state.error)
        ),
        h(
          "article",
          {},
          h("h1", {}, data.get("Title")),
          data.get("Summary") ? h("p", { className: "summary" }, data.get("Summary")) : null,
          this.props.widgetFor("body")
        )
      );
    },
  });

  options.collections.forEach(function (name) {
    CMS.registerPreviewTemplate(name, EntryPreview);
  });

  // A picture in the text always gets a description (its alternative text).
  CMS.registerEditorComponent({
    id: "image", // replaces Decap's own, whose description may stay empty
    label: "Bild",
    fields: [
      { name: "src", label: "Bild", widget: "image", choose_url: false },
      {
        name: "alt",
        label: "Was ist auf dem Bild zu sehen? (für Menschen, die es nicht sehen)",
        widget: "string",
        required: true,
      },
    ],
    pattern: /^!\[([^\]\n]+)\]\(([^)\s]+)\)$/,
    fromBlock: function (match) { return { alt: match[1], src: match[2] }; },
    toBlock: function (data) { return "![" + (data.alt || "") + "](" + (data.src || "") + ")"; },
    toPreview: function (data) { return h("img", { src: data.src, alt: data.alt }); },
  });

  CMS.init();
})();
