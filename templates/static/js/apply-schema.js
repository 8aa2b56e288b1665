/* The application's schema checks (/host/apply/): a small JSON Schema validator, enough for the
   schema the site publishes (hubsite/content/schema.py generates it from the records and lists
   in KEYWORDS exactly the keywords implemented here; a test holds the two together). It reads
   the schema embedded in the page, so it works opened from disk too. Errors are
   {path: [...], message}, their words from the page's catalogue through `say` (the schema's own
   messages too: the page's words are keyed by their English).

   One of three classic scripts sharing window.hubsiteApply, loaded with defer in this order:
   the schema checks, then the records and ids, then the form. (Not modules: browsers refuse
   modules from file://.) */
(function (apply) {
  "use strict";

  var patterns = {};
  function regex(source) {
    if (!(source in patterns)) {
      try { patterns[source] = new RegExp(source, "u"); } catch (e) { patterns[source] = new RegExp(source); }
    }
    return patterns[source];
  }

  function typeOf(value) {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
  }

  function hasType(value, types) {
    var actual = typeOf(value);
    return [].concat(types).some(function (t) { return t === actual || (t === "number" && actual === "integer"); });
  }

  function isDate(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return false;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }

  function resolve(root, node) {
    return node.$ref ? root.$defs[node.$ref.split("/").pop()] : node;
  }

  /* validator(say) -> errors(schema, value): say(key, values) words each kind of error. */
  function validator(say) {
    function check(root, node, value, path) {
      var schema = resolve(root, node);
      var errors = [];
      function add(message, at) { errors.push({ path: at || path, message: message }); }
      function nest(sub, child, at) { errors.push.apply(errors, check(root, sub, child, at)); }
      if (schema.type !== undefined && !hasType(value, schema.type)) {
        add(say("type_" + [].concat(schema.type)[0]));
        return errors;
      }
      if (schema.enum && schema.enum.indexOf(value) < 0) add(say("enum", { values: schema.enum.join(", ") }));
      if (typeof value === "string") checkString(schema, value, add);
      if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) add(say("minimum", { n: schema.minimum }));
        if (schema.maximum !== undefined && value > schema.maximum) add(say("maximum", { n: schema.maximum }));
      }
      if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) add(say("minItems", { n: schema.minItems }));
        if (schema.maxItems !== undefined && value.length > schema.maxItems) add(say("maxItems", { n: schema.maxItems }));
        if (schema.items) value.forEach(function (item, i) { nest(schema.items, item, path.concat(i)); });
      }
      if (typeOf(value) === "object") checkObject(schema, value, path, add, nest);
      if (schema.anyOf) errors.push.apply(errors, bestBranch(root, schema.anyOf, value, path));
      if (schema.oneOf) {
        var passing = schema.oneOf.filter(function (sub) { return check(root, sub, value, path).length === 0; });
        if (passing.length !== 1) add(say(schema.errorMessage || "oneOf"));
      }
      (schema.allOf || []).forEach(function (sub) {
        var found = check(root, sub, value, path);
        if (found.length && sub.errorMessage) add(say(sub.errorMessage));
        else errors.push.apply(errors, found);
      });
      errors.push.apply(errors, conditional(root, schema, value, path));
      return errors;
    }

    /* if/then/else: `then` applies to a value that passes `if`, `else` to one that does not (either may be absent). */
    function conditional(root, schema, value, path) {
      if (schema.if === undefined) return [];
      var branch = check(root, schema.if, value, path).length === 0 ? schema.then : schema.else;
      return branch === undefined ? [] : check(root, branch, value, path);
    }

    function checkString(schema, value, add) {
      var length = Array.from(value).length;  /* JSON Schema counts code points, as Python does */
      if (schema.minLength !== undefined && length < schema.minLength) add(schema.minLength === 1 ? say("empty") : say("minLength", { n: schema.minLength }));
      if (schema.maxLength !== undefined && length > schema.maxLength) add(say("maxLength", { n: schema.maxLength }));
      if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) add(say(schema.patternErrorMessage || "pattern"));
      if (schema.format === "date" && !isDate(value)) add(say("date"));
    }

    function checkObject(schema, value, path, add, nest) {
      (schema.required || []).forEach(function (key) {
        if (!(key in value)) add(say("required"), path.concat(key));
      });
      var properties = schema.properties || {};
      Object.keys(value).forEach(function (key) {
        if (properties[key]) nest(properties[key], value[key], path.concat(key));
        else if (schema.additionalProperties === false) add(say("unknown", { key: key }), path.concat(key));
        else if (typeof schema.additionalProperties === "object") nest(schema.additionalProperties, value[key], path.concat(key));
      });
    }

    /* anyOf: valid if one branch is; otherwise report the branch of the right type with fewest errors. */
    function bestBranch(root, branches, value, path) {
      var best = null;
      for (var i = 0; i < branches.length; i++) {
        var found = check(root, branches[i], value, path);
        if (!found.length) return [];
        var branch = resolve(root, branches[i]);
        var fits = branch.type === undefined || hasType(value, branch.type);
        if (!best || (fits && (!best.fits || found.length < best.errors.length))) best = { errors: found, fits: fits };
      }
      return best ? best.errors : [];
    }

    return function errors(schema, value) { return check(schema, schema, value, []); };
  }

  apply.schema = { validator: validator, typeOf: typeOf, isDate: isDate };
})(window.hubsiteApply = window.hubsiteApply || {});
