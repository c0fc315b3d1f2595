from setuptools import Extension, setup

setup(
    name="greeting",
    version="0.1.0",
    ext_modules=[Extension("greeting", ["greeting.c"])],
)
