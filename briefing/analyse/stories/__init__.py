"""Stories: a day's articles → reports of one event (`cluster`), and repeats of earlier days (`history`)."""
