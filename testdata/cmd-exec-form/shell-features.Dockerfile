# Commands that need the shell are reported without a fix.
FROM debian:12
CMD echo $HOME
CMD ./start.sh && tail -f /dev/null
CMD exec nginx -g 'daemon off;'
CMD java -jar *.jar
CMD A=1 ./run
