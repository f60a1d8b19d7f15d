from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render())
