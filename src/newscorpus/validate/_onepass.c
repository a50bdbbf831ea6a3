/*
 * newscorpus.validate._onepass: the text and paragraphs of a data line, checked in one pass
 * over the line's bytes, without making a Python string of either.
 *
 * A record carries its body twice, as "text" and as "paragraphs", and in pure Python the cost
 * of checking it is mostly making strings of both, encoding the text back to UTF-8, and the
 * passes of a regular expression and two counts over it. This walks the serialised paragraphs
 * and the serialised text side by side and proves, for a sound record, what those passes
 * prove:
 *
 *   - both are in canonical form (raw UTF-8, valid and shortest; the only escapes \" and \\,
 *     and \n only in the text, as the blank line between two paragraphs);
 *   - the text is the paragraphs joined by a blank line;
 *   - every paragraph is words of NFC-safe characters (the table of nfc_safe.py, given to the
 *     constructor) with one space between them: so the body is folded and NFC.
 *
 * It returns the text in UTF-8 (for its hash and the near-duplicate sentences), the number of
 * paragraphs, of characters and of spaces; or None at the first byte that does not fit, and the
 * caller then checks the line the pure-Python way, which says what is wrong. None is never a
 * verdict, only "not proven here"; a property test holds the two ways to the same verdicts.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define CODE_POINTS 0x110000

typedef struct {
    PyObject_HEAD
    uint8_t words[CODE_POINTS / 8]; /* bit set: the code point is an NFC-safe word character */
    uint8_t bytes[256];             /* the class of each byte, from the same table */
} Checker;

/* classes of a byte: an ASCII word character, the space, the bytes that end a run of
   characters (the quote of `","`, the backslash of an escape), the first byte of a longer
   UTF-8 sequence (>= 0x80), and the rest (controls, DEL) */
enum { WORD_BYTE = 0, SPACE_BYTE = 1, END_BYTE, LONGER, OTHER };

static inline int
is_word(const Checker *self, Py_UCS4 c)
{
    return (self->words[c >> 3] >> (c & 7)) & 1;
}

/* The length of the UTF-8 sequence at s (at most n bytes), or 0 if it is not valid, shortest
   UTF-8 of a scalar value (no surrogates, nothing above U+10FFFF); *c is its code point. */
static inline int
decode(const uint8_t *s, Py_ssize_t n, Py_UCS4 *c)
{
    uint8_t b0 = s[0];
    if (b0 < 0xC2 || b0 > 0xF4)
        return 0;
    if (b0 < 0xE0) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *c = ((Py_UCS4)(b0 & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (b0 < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((b0 == 0xE0 && s[1] < 0xA0) || (b0 == 0xED && s[1] > 0x9F))
            return 0; /* overlong, or a surrogate */
        *c = ((Py_UCS4)(b0 & 0x0F) << 12) | ((Py_UCS4)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
        return 0;
    if ((b0 == 0xF0 && s[1] < 0x90) || (b0 == 0xF4 && s[1] > 0x8F))
        return 0; /* overlong, or above U+10FFFF */
    *c = ((Py_UCS4)(b0 & 0x07) << 18) | ((Py_UCS4)(s[1] & 0x3F) << 12) |
         ((Py_UCS4)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
}

/* check(line, text_start, between, paragraphs_end)
   The text's characters start at line[text_start] (after its opening quote) and end at its
   first quote that no backslash escapes; ``between`` must follow that quote and lead to the
   first paragraph's characters (`","paragraphs":["`); the paragraphs' characters end at
   line[paragraphs_end] (the last one's closing quote), the `","` between them included. */
static PyObject *
checker_check(Checker *self, PyObject *args)
{
    Py_buffer view;
    const char *between;
    Py_ssize_t t0, t1, p0, p1, between_length;
    if (!PyArg_ParseTuple(args, "y*ny#n", &view, &t0, &between, &between_length, &p1))
        return NULL;
    if (!(0 <= t0 && t0 <= p1 && p1 <= view.len)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "spans out of order or outside the line");
        return NULL;
    }
    const uint8_t *s = (const uint8_t *)view.buf;
    /* where the text ends: its first quote after an even number of backslashes */
    for (t1 = t0;; t1++) {
        const uint8_t *quote = memchr(s + t1, '"', (size_t)(p1 - t1));
        if (quote == NULL) {
            PyBuffer_Release(&view);
            Py_RETURN_NONE;
        }
        t1 = quote - s;
        Py_ssize_t escapes = t1;
        while (escapes > t0 && s[escapes - 1] == '\\')
            escapes--;
        if ((t1 - escapes) % 2 == 0)
            break;
    }
    p0 = t1 + between_length;
    if (p0 > p1 || memcmp(s + t1, between, (size_t)between_length) != 0) {
        PyBuffer_Release(&view);
        Py_RETURN_NONE;
    }
    /* the text's UTF-8 is never longer than its serialisation */
    PyObject *utf8 = PyBytes_FromStringAndSize(NULL, t1 - t0);
    if (utf8 == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    uint8_t *out = (uint8_t *)PyBytes_AS_STRING(utf8);
    Py_ssize_t i = t0, j = p0, k = 0;
    Py_ssize_t paragraphs = 1, chars = 0, spaces = 0;
    /* 1 where the next character must be a word character: at the start of a paragraph and
       after a space (so no paragraph starts or ends with a space, or holds two in a row) */
    unsigned need = 1, misplaced = 0;
    for (;;) {
        /* a run of characters written as themselves: words and single spaces */
        Py_ssize_t run = j;
        while (j < p1) {
            /* ASCII words and spaces, without a branch on which */
            Py_ssize_t ascii = j;
            unsigned kind;
            while (j < p1 && (kind = self->bytes[s[j]]) <= SPACE_BYTE) {
                misplaced |= kind & need;
                need = kind;
                spaces += kind;
                j++;
            }
            chars += j - ascii;
            if (j == p1 || self->bytes[s[j]] != LONGER)
                break;
            Py_UCS4 c;
            int n = decode(s + j, p1 - j, &c);
            if (n == 0 || !is_word(self, c))
                goto unproven;
            need = 0;
            chars++;
            j += n;
        }
        if (misplaced)
            goto unproven;
        /* the text holds the same run, byte for byte */
        Py_ssize_t length = j - run;
        if (t1 - i < length || memcmp(s + i, s + run, (size_t)length) != 0)
            goto unproven;
        memcpy(out + k, s + run, (size_t)length);
        k += length;
        i += length;
        if (j == p1)
            break;
        if (s[j] == '"') {
            /* only as the `","` between two paragraphs, after a word; in the text, a blank line */
            if (need || p1 - j < 3 || s[j + 1] != ',' || s[j + 2] != '"')
                goto unproven;
            if (t1 - i < 4 || memcmp(s + i, "\\n\\n", 4) != 0)
                goto unproven;
            out[k++] = '\n';
            out[k++] = '\n';
            chars += 2;
            paragraphs++;
            i += 4;
            j += 3;
            need = 1;
        }
        else if (s[j] == '\\') {
            /* the canonical escapes of a word character, \" and \\ */
            if (p1 - j < 2 || (s[j + 1] != '"' && s[j + 1] != '\\'))
                goto unproven;
            if (t1 - i < 2 || s[i] != '\\' || s[i + 1] != s[j + 1])
                goto unproven;
            out[k++] = s[j + 1];
            chars++;
            need = 0;
            i += 2;
            j += 2;
        }
        else {
            goto unproven; /* a control character or DEL: escaped in canonical JSON */
        }
    }
    if (i != t1 || need)
        goto unproven;
    PyBuffer_Release(&view);
    if (_PyBytes_Resize(&utf8, k) < 0)
        return NULL;
    return Py_BuildValue("(Nnnn)", utf8, paragraphs, chars, spaces);

unproven:
    PyBuffer_Release(&view);
    Py_DECREF(utf8);
    Py_RETURN_NONE;
}

static int
checker_init(Checker *self, PyObject *args, PyObject *kwds)
{
    PyObject *ranges;
    static char *keywords[] = {"words", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O", keywords, &ranges))
        return -1;
    memset(self->words, 0, sizeof self->words);
    PyObject *iterator = PyObject_GetIter(ranges);
    if (iterator == NULL)
        return -1;
    PyObject *item;
    while ((item = PyIter_Next(iterator)) != NULL) {
        unsigned long low, high;
        int parsed = PyArg_ParseTuple(item, "kk", &low, &high);
        Py_DECREF(item);
        if (!parsed || low > high || high >= CODE_POINTS) {
            if (parsed)
                PyErr_SetString(PyExc_ValueError, "a range must be (low, high), low <= high");
            Py_DECREF(iterator);
            return -1;
        }
        for (unsigned long c = low; c <= high; c++)
            self->words[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred())
        return -1;
    /* a space separates words whatever the table says */
    self->words[' ' >> 3] &= (uint8_t)~(1u << (' ' & 7));
    for (int b = 0; b < 256; b++)
        self->bytes[b] = b >= 0x80 ? LONGER : is_word(self, (Py_UCS4)b) ? WORD_BYTE : OTHER;
    self->bytes[' '] = SPACE_BYTE;
    /* a quote or a backslash ends a run: the structure of the line, or an escape (then the
       character it stands for must be a word character, which both are in the table) */
    if (!is_word(self, '"') || !is_word(self, '\\')) {
        PyErr_SetString(PyExc_ValueError, "the quote and the backslash must be word characters");
        return -1;
    }
    self->bytes['"'] = END_BYTE;
    self->bytes['\\'] = END_BYTE;
    return 0;
}

static PyMethodDef checker_methods[] = {
    {"check", (PyCFunction)checker_check, METH_VARARGS,
     "check(line, text_start, between, paragraphs_end)\n"
     "--\n\n"
     "(text in UTF-8, paragraphs, characters, spaces) when the text from text_start to its\n"
     "closing quote, then between, then the paragraphs up to paragraphs_end, are the canonical\n"
     "serialisation of a folded NFC body and of its paragraphs; else None."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CheckerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "newscorpus.validate._onepass.Checker",
    .tp_doc = "Checker(words): words is the (low, high) code point ranges of word characters.",
    .tp_basicsize = sizeof(Checker),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)checker_init,
    .tp_methods = checker_methods,
};

static struct PyModuleDef onepass_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "newscorpus.validate._onepass",
    .m_doc = "The text and paragraphs of a data line, checked in one pass over its bytes.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__onepass(void)
{
    if (PyType_Ready(&CheckerType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&onepass_module);
    if (module == NULL)
        return NULL;
    Py_INCREF(&CheckerType);
    if (PyModule_AddObject(module, "Checker", (PyObject *)&CheckerType) < 0) {
        Py_DECREF(&CheckerType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
