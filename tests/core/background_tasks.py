"""Tasks for the tests of the background worker (importable by their path, as the worker
imports every task it runs)."""

from django_tasks import task


@task()
def always_fails(note):
    raise RuntimeError(f"the remote end said no: {note}")


@task()
def adds(a, b):
    return a + b


@task()
def works_on_a_person(pk):
    from iskra.core.models import Person

    return Person.objects.get(pk=pk).name
