package com.example.hello;

/** The answer the server gives. */
final class Greeting {
    private Greeting() {}

    static String text() {
        return "Hello from Java, built by Maven.\n";
    }
}
