/* Print every occurrence of every VEVENT in the given .ics files as libical (Evolution's
 * iCalendar library) reads them: one line "FILE<TAB>UID<TAB>YYYYMMDDTHHMMSSZ" per start
 * from WINDOW_START (inclusive) to WINDOW_END (exclusive), both UTC like 20260101T000000Z.
 *
 *   libical_occurrences WINDOW_START WINDOW_END FILE...
 *
 * Compiled at test time by tests/render/test_calendar_parsers.py:
 *   cc libical_occurrences.c $(pkg-config --cflags --libs libical)
 * Events' TZIDs resolve to the VTIMEZONEs of their own file (icalcomponent_get_dtstart
 * looks in the enclosing VCALENDAR before libical's built-in zones). */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct reading {
    const char *file;
    time_t window_start;
};

static char *read_file(const char *path)
{
    FILE *stream = fopen(path, "rb");
    if (stream == NULL) {
        perror(path);
        exit(2);
    }
    fseek(stream, 0, SEEK_END);
    long size = ftell(stream);
    rewind(stream);
    char *text = malloc((size_t)size + 1);
    if (text == NULL || fread(text, 1, (size_t)size, stream) != (size_t)size) {
        fprintf(stderr, "%s: cannot read\n", path);
        exit(2);
    }
    text[size] = '\0';
    fclose(stream);
    return text;
}

static void print_occurrence(icalcomponent *event, struct icaltime_span *span, void *data)
{
    const struct reading *reading = data;
    if (span->start < reading->window_start) {
        return;  /* foreach_recurrence also reports events that merely overlap the window */
    }
    char stamp[32];
    struct tm utc;
    time_t start = span->start;
    gmtime_r(&start, &utc);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    printf("%s\t%s\t%s\n", reading->file, icalcomponent_get_uid(event), stamp);
}

static void print_file(const char *path, struct icaltimetype window_start, struct icaltimetype window_end)
{
    char *text = read_file(path);
    icalcomponent *calendar = icalparser_parse_string(text);
    if (calendar == NULL) {
        fprintf(stderr, "%s: libical cannot parse it: %s\n", path, icalerror_strerror(icalerrno));
        exit(1);
    }
    struct reading reading = {path, icaltime_as_timet(window_start)};
    for (icalcomponent *event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         event != NULL;
         event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        icalcomponent_foreach_recurrence(event, window_start, window_end, print_occurrence, &reading);
    }
    icalcomponent_free(calendar);
    free(text);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s WINDOW_START WINDOW_END FILE...\n", argv[0]);
        return 2;
    }
    struct icaltimetype window_start = icaltime_from_string(argv[1]);
    struct icaltimetype window_end = icaltime_from_string(argv[2]);
    for (int i = 3; i < argc; i++) {
        print_file(argv[i], window_start, window_end);
    }
    return 0;
}
