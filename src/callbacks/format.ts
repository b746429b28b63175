/**
 * Python's `str.format` and float `repr`, as far as Keras' callbacks need them: ModelCheckpoint file
 * names such as `mnist-{epoch:02d}-{val_loss:.4f}.hdf5` and messages that print Python floats.
 *
 * Supported: `{name}` and `{name:spec}` with spec `[[fill]align][sign][#][0][width][,|_][.precision][type]`,
 * types d, f, F, e, E, g, G, %, s; `{{` and `}}` escapes. Rounding is Python's: exact binary value,
 * ties to even.
 */

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pyRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = x.toExponential().split("e");
  const exp = Number(expStr);
  const sign = mant.startsWith("-") ? "-" : "";
  const digits = mant.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${int}.${frac || "0"}`;
}

/** `x` (>= 0) with `digits` decimals, rounded like Python (exact value, ties to even). */
function toFixedPy(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (digits + 30 > 100) return s;
  const exact = x.toFixed(digits + 30);
  const tail = exact.slice(exact.length - 30);
  if (tail[0] !== "5" || !/^50*$/.test(tail)) return s;
  // An exact tie: toFixed rounded up; Python rounds to the even neighbour.
  const down = exact.slice(0, exact.length - 30);
  const lastDigit = Number(down[down.length - 1] === "." ? down[down.length - 2] : down[down.length - 1]);
  return lastDigit % 2 === 0 ? (digits === 0 ? down.replace(/\.$/, "") : down) : s;
}

/** `x` (>= 0) in exponent form with `digits` mantissa decimals, Python style (`e-05`). */
function toExpPy(x: number, digits: number, upper: boolean): string {
  const [m0, exp] = x.toExponential(digits).split("e");
  let mant = m0;
  const n = Number(exp);
  // Ties to even, as for fixed notation.
  const fixedDigits = digits - n;
  if (fixedDigits >= 0 && fixedDigits + 30 <= 100) {
    const py = toFixedPy(x, fixedDigits);
    const viaFixed = Number(py).toExponential(digits).split("e");
    if (Number(viaFixed[1]) === n) mant = viaFixed[0];
  }
  const e = `${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  return `${mant}${upper ? "E" : "e"}${e}`;
}

function generalPy(x: number, precision: number, alt: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return alt ? `0.${"0".repeat(p - 1)}` : "0";
  const exp = Number(toExpPy(x, p - 1, false).split("e")[1]);
  let out = exp >= -4 && exp < p ? toFixedPy(x, p - 1 - exp) : toExpPy(x, p - 1, upper);
  if (!alt) {
    out = out.replace(/(\.\d*?)0+(?=$|[eE])/, "$1").replace(/\.(?=$|[eE])/, "");
  }
  return out;
}

interface Spec {
  fill: string;
  align?: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping?: string;
  precision?: number;
  type?: string;
}

const SPEC_RE = /^(?:([\s\S])?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([deEfFgGs%])?$/;

function parseSpec(spec: string, field: string): Spec {
  const m = SPEC_RE.exec(spec);
  if (!m) throw new Error(`Invalid format specifier '${spec}' for '${field}'`);
  return {
    fill: m[1] ?? (m[5] && !m[2] ? "0" : " "),
    align: m[2] ?? (m[5] ? "=" : undefined),
    sign: m[3] ?? "-",
    alt: m[4] !== undefined,
    zero: m[5] !== undefined,
    width: m[6] ? Number(m[6]) : 0,
    grouping: m[7],
    precision: m[8] !== undefined ? Number(m[8]) : undefined,
    type: m[9],
  };
}

function group(intPart: string, sep: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function formatNumber(value: number, spec: Spec, isInt: boolean, field: string): string {
  const type = spec.type ?? (isInt ? "d" : "");
  const neg = value < 0 || Object.is(value, -0);
  const x = Math.abs(value);
  let body: string;
  if (type === "d") {
    if (!Number.isInteger(value)) throw new Error(`Unknown format code 'd' for object of type 'float' ('${field}')`);
    body = x.toFixed(0);
  } else if (!Number.isFinite(x)) {
    body = Number.isNaN(x) ? "nan" : "inf";
    if (type === "E" || type === "F" || type === "G") body = body.toUpperCase();
    if (type === "%") body += "%";
  } else if (type === "f" || type === "F") {
    body = toFixedPy(x, spec.precision ?? 6);
  } else if (type === "%") {
    body = `${toFixedPy(x * 100, spec.precision ?? 6)}%`;
  } else if (type === "e" || type === "E") {
    body = toExpPy(x, spec.precision ?? 6, type === "E");
  } else if (type === "g" || type === "G") {
    body = generalPy(x, spec.precision ?? 6, spec.alt, type === "G");
  } else if (type === "s") {
    throw new Error(`Unknown format code 's' for object of type 'float' ('${field}')`);
  } else {
    body = spec.precision !== undefined ? generalPy(x, spec.precision, spec.alt, false) : pyRepr(x);
  }
  if (spec.grouping && /^\d/.test(body)) {
    const [i, ...rest] = body.split(".");
    body = [group(i, spec.grouping), ...rest].join(".");
  }
  const signStr = neg && !Number.isNaN(value) ? "-" : spec.sign === "+" ? "+" : spec.sign === " " ? " " : "";
  return pad(signStr, body, spec, "right");
}

function pad(sign: string, body: string, spec: Spec, defaultAlign: "left" | "right"): string {
  const len = sign.length + body.length;
  if (len >= spec.width) return sign + body;
  const n = spec.width - len;
  const align = spec.align ?? (defaultAlign === "left" ? "<" : ">");
  const fill = spec.fill;
  if (align === "=") return sign + fill.repeat(n) + body;
  if (align === "<") return sign + body + fill.repeat(n);
  if (align === "^") return fill.repeat(Math.floor(n / 2)) + sign + body + fill.repeat(Math.ceil(n / 2));
  return fill.repeat(n) + sign + body;
}

export type FormatValue = number | string;

/**
 * Python's `template.format(**values)`. Numbers named in `ints` format as Python ints (`{epoch}` → `3`),
 * other numbers as Python floats (`{loss}` → `0.3148`). A missing name throws, as Python's KeyError.
 */
export function pyFormat(template: string, values: Record<string, FormatValue>, ints: readonly string[] = []): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === "{" && template[i + 1] === "{") {
      out += "{";
      i += 2;
    } else if (ch === "}" && template[i + 1] === "}") {
      out += "}";
      i += 2;
    } else if (ch === "{") {
      const end = template.indexOf("}", i);
      if (end < 0) throw new Error(`Single '{' encountered in format string: ${template}`);
      const field = template.slice(i + 1, end);
      const colon = field.indexOf(":");
      const name = colon < 0 ? field : field.slice(0, colon);
      const spec = parseSpec(colon < 0 ? "" : field.slice(colon + 1), name);
      if (!(name in values)) throw new KeyError(name);
      const value = values[name];
      if (typeof value === "string") {
        if (spec.type && spec.type !== "s") {
          throw new Error(`Unknown format code '${spec.type}' for object of type 'str' ('${name}')`);
        }
        const s = spec.precision !== undefined ? value.slice(0, spec.precision) : value;
        out += pad("", s, spec, "left");
      } else {
        out += formatNumber(value, spec, ints.includes(name) && Number.isInteger(value), name);
      }
      i = end + 1;
    } else if (ch === "}") {
      throw new Error(`Single '}' encountered in format string: ${template}`);
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Python's `format(x, spec)` for one number, e.g. `pyFormatNumber(0.314768, ".5f")` → "0.31477". */
export function pyFormatNumber(x: number, spec: string): string {
  return formatNumber(x, parseSpec(spec, "value"), false, "value");
}

/** Python's KeyError for a name the template uses but the values lack. */
export class KeyError extends Error {
  constructor(readonly key: string) {
    super(`'${key}'`);
    this.name = "KeyError";
  }
}
