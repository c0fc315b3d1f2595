/* The app's greeting, from compiled code: the image must have built it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *hello(PyObject *self, PyObject *args) {
    return PyUnicode_FromString("Hello from a C extension.");
}

static PyMethodDef methods[] = {
    {"hello", hello, METH_NOARGS, "The greeting."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "greeting", NULL, -1, methods};

PyMODINIT_FUNC PyInit_greeting(void) { return PyModule_Create(&module); }
