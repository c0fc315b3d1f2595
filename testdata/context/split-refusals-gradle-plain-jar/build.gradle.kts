plugins {
    java
    id("org.springframework.boot") version "3.2.5"
}

version = "1.0.0"
